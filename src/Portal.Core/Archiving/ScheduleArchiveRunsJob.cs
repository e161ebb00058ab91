using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Archiving;

/// <summary>
/// The nightly tick: one archive run for each team whose rule in force is enabled, keyed by team and day so
/// that a tick Hangfire replays plans nothing twice. Teams whose rule is not enabled archive only on demand.
/// </summary>
public sealed class ScheduleArchiveRunsJob(IDbContextFactory<PortalDbContext> dbFactory, ArchiveService archive, IArchiveRunQueue queue, TimeProvider clock)
{
    public const string Id = "schedule-archive-runs";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var day = clock.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var planned = 0;
        foreach (var team in teams)
        {
            var (rule, _) = await ArchiveRuleService.EffectiveAsync(db, team.Id, ct);
            if (!rule.Enabled)
                continue;
            var run = await archive.PlanAsync(db, team.Id, team.Name, "schedule", Actor.Job(Id), $"schedule:{team.Id}:{day}", ct);
            if (!run.IsFinished)
                queue.Enqueue(run.Id);
            planned++;
        }
        return planned;
    }
}
