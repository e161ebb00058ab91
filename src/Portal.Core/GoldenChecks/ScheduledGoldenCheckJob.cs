using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Versions;

namespace Portal.Core.GoldenChecks;

/// <summary>
/// A check's schedule tick: runs it on the versions whose evidence the gates read (Staging and Production),
/// or on the newest Ready version when none is staged. The tick's minute keys the runs, so a tick fired twice
/// plans them once.
/// </summary>
public sealed class ScheduledGoldenCheckJob(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IGoldenRunQueue queue,
    IEnumerable<IGoldenModelRunner> runners)
{
    public async Task RunAsync(Guid checkId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var check = await db.GoldenChecks.AsNoTracking().SingleOrDefaultAsync(c => c.Id == checkId && c.Enabled, ct);
        if (check is null)
            return;
        var asset = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == check.AssetId, ct);
        // An archived or purged version has no hot files to run on: a tick for it would fail, and fail again on every tick.
        var ready = db.Versions.AsNoTracking().Where(v => v.AssetId == check.AssetId && v.Status == VersionStatus.Ready && v.ArchivedAt == null && v.PurgedAt == null);
        var versions = await ready.Where(v => v.Stage == Lifecycle.Stage.Staging || v.Stage == Lifecycle.Stage.Production).ToListAsync(ct);
        if (versions.Count == 0 && await ready.OrderByDescending(v => v.FinalizedAt).FirstOrDefaultAsync(ct) is { } newest)
            versions.Add(newest);
        var now = clock.GetUtcNow();
        var tick = now.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
        var planned = new List<Jobs.JobRun>();
        foreach (var version in versions)
        {
            var key = $"cron:{check.Id}:{version.Id}:{tick}";
            if (await db.JobRuns.AnyAsync(r => r.Kind == Jobs.JobKinds.GoldenCheck && r.IdempotencyKey == key, ct))
                continue;
            var run = await GoldenCheckRuns.PlanAsync(db, check, version, asset.Name, asset.Kind, p => runners.Any(r => r.Accepts(p)), "schedule", "schedule",
                key, now, ct);
            db.Record(Actor.Job("golden-check-schedule"), now, "golden-check.started", "version", version.Id.ToString(), check.TeamId,
                after: new { Run = run.Id, Check = check.Name, version.Version, run.External });
            planned.Add(run);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (UniqueViolationException)
        {
            // Another server fired the same tick: its runs stand.
            return;
        }
        foreach (var run in planned.Where(r => !r.External))
            queue.Enqueue(run.Id);
    }
}
