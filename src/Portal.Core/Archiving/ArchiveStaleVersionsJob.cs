using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Artifacts;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.Lifecycle;

namespace Portal.Core.Archiving;

/// <summary>What an archive run did, kept as the run's summary (runs summarized before <see cref="BlobsBusy"/> existed read 0).</summary>
public sealed record ArchiveRunSummary(int Versions, int BlobsMoved, long BytesMoved, int BlobsKeptShared, int BlobsDamaged, int BlobsBusy = 0);

/// <summary>
/// One archive run, by id: archives the versions the rule finds at run time (the dry run's set, through
/// <see cref="ArchiveCandidates"/>), then moves their blobs that no live version shares to the cold store.
/// Killed at any point, a re-run (Hangfire's retry, or the start-up replay) claims the same run, finds the
/// versions it archived by their run id and finishes their blobs; a finished run is never run again. A run that fails on its
/// <see cref="MaxAttempts"/>th attempt is failed with the reason. Each run also moves the files earlier runs left hot (a failed run's,
/// a blob a restore held), so nothing archived stays hot for good unless a live version uses it.
/// </summary>
public sealed class ArchiveStaleVersionsJob(IDbContextFactory<PortalDbContext> dbFactory, ArchiveBlobMover mover, TimeProvider clock,
    IEnumerable<IArchiveRunObserver> observers, ILogger<ArchiveStaleVersionsJob> log)
{
    public const string Id = "archive";
    public const int MaxAttempts = 3;
    private const int Batch = 200;

    public async Task RunAsync(Guid runId, CancellationToken ct)
    {
        var actor = Actor.Job(Id, runId.ToString());
        Guid teamId;
        int attempt;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var run = await db.JobRuns.SingleOrDefaultAsync(r => r.Id == runId && r.Kind == JobKinds.Archive, ct);
            if (run is null || !run.Claim(clock.GetUtcNow()))
                return;
            await db.SaveChangesAsync(ct);
            (teamId, attempt) = (run.TeamId, run.Attempt);
        }
        try
        {
            await RunClaimedAsync(runId, teamId, actor, ct);
        }
        catch (Exception e) when (attempt >= MaxAttempts && !ct.IsCancellationRequested)
        {
            log.LogError(e, "Archive run {Run} failed on attempt {Attempt}", runId, attempt);
            await FailAsync(runId, teamId, actor, $"Failed on attempt {attempt} ({e.GetType().Name}; the server log has the details). "
                + "The versions archived so far stay archived; the team's next run moves their files to the cold store.");
        }
    }

    private async Task RunClaimedAsync(Guid runId, Guid teamId, Actor actor, CancellationToken ct)
    {
        Reached(ArchiveSteps.Claimed, runId);
        await ArchiveVersionsAsync(runId, teamId, actor, ct);
        Reached(ArchiveSteps.VersionsArchived, runId);
        var summary = await MoveBlobsAsync(runId, teamId, actor, ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var run = await db.JobRuns.SingleAsync(r => r.Id == runId, ct);
            if (run.IsFinished)
                return;
            var now = clock.GetUtcNow();
            run.Succeed(now, JsonSerializer.Serialize(summary, JsonSerializerOptions.Web));
            db.Record(actor, now, "archive.completed", "team", teamId.ToString(), teamId, after: new { Run = runId, summary.Versions, summary.BlobsMoved, summary.BytesMoved,
                summary.BlobsKeptShared, summary.BlobsDamaged, summary.BlobsBusy });
            await db.SaveChangesAsync(ct);
        }
        Reached(ArchiveSteps.Finished, runId);
    }

    /// <summary>Archives the rule's candidates in batches, each batch in one transaction with its stage history and audit events.</summary>
    private async Task ArchiveVersionsAsync(Guid runId, Guid teamId, Actor actor, CancellationToken ct)
    {
        IReadOnlyList<ArchiveCandidate> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (rule, _) = await ArchiveRuleService.EffectiveAsync(db, teamId, ct);
            candidates = await ArchiveCandidates.FindAsync(db, teamId, rule, clock.GetUtcNow(), ct);
        }
        var done = 0;
        foreach (var batch in candidates.Chunk(Batch))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ids = batch.Select(c => c.VersionId).ToList();
            // A version promoted or put on hold since the candidates were read stays as it is.
            var versions = await db.Versions.Where(v => ids.Contains(v.Id) && v.ArchivedAt == null && v.Stage == Stage.None && !v.LegalHold).ToListAsync(ct);
            var assetIds = versions.Select(v => v.AssetId).Distinct().ToList();
            var assets = await db.Assets.Where(a => assetIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
            var now = clock.GetUtcNow();
            foreach (var version in versions)
            {
                var why = batch.First(c => c.VersionId == version.Id).Reasons;
                StageMover.Change(db, assets[version.AssetId], version, Stage.Archived, actor, now, null, "Archived as stale: " + string.Join("; ", why.Take(2)));
                (version.ArchivedAt, version.ArchiveRunId) = (now, runId);
                db.Record(actor, now, "version.archived", "version", version.Id.ToString(), teamId, after: new { version.Version, Run = runId, Reasons = why });
            }
            var run = await db.JobRuns.SingleAsync(r => r.Id == runId, ct);
            done += batch.Length;
            run.ReportProgress(done * 50 / candidates.Count);
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>The blobs of this run's versions, and the hot blobs of the team's other archived versions that no live version uses.</summary>
    private async Task<ArchiveRunSummary> MoveBlobsAsync(Guid runId, Guid teamId, Actor actor, CancellationToken ct)
    {
        List<(string Sha256, long Size)> blobs;
        int versions;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            versions = await db.Versions.CountAsync(v => v.ArchiveRunId == runId, ct);
            var rows = await db.Artifacts.AsNoTracking()
                .Where(a => db.Versions.Any(v => v.Id == a.VersionId && v.ArchiveRunId == runId)
                    || (db.Versions.Any(v => v.Id == a.VersionId && v.TeamId == teamId && v.ArchivedAt != null && v.PurgedAt == null)
                        && db.Blobs.Any(b => b.Sha256 == a.Sha256 && b.Location == BlobLocation.Hot)
                        && !db.Artifacts.Any(o => o.Sha256 == a.Sha256 && db.Versions.Any(v => v.Id == o.VersionId && v.ArchivedAt == null))))
                .Select(a => new { a.Sha256, a.Size }).Distinct().OrderBy(a => a.Sha256).ToListAsync(ct);
            blobs = rows.Select(r => (r.Sha256, r.Size)).ToList();
        }
        var (moved, bytes, shared, damaged, busy) = (0, 0L, 0, 0, 0);
        for (var i = 0; i < blobs.Count; i++)
        {
            switch (await mover.CoolAsync(blobs[i].Sha256, runId, actor, ct))
            {
                case BlobMove.Moved: moved++; bytes += blobs[i].Size; break;
                case BlobMove.KeptShared: shared++; break;
                case BlobMove.Busy: busy++; break;
                default: damaged++; break;
            }
            await ProgressAsync(runId, 50 + (i + 1) * 50 / blobs.Count, ct);
        }
        return new ArchiveRunSummary(versions, moved, bytes, shared, damaged, busy);
    }

    private async Task FailAsync(Guid runId, Guid teamId, Actor actor, string reason)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.JobRuns.SingleAsync(r => r.Id == runId);
        if (run.IsFinished)
            return;
        var now = clock.GetUtcNow();
        run.Fail(now, reason);
        db.Record(actor, now, "archive.failed", "team", teamId.ToString(), teamId, after: new { Run = runId, Reason = reason });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task ProgressAsync(Guid runId, int percent, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.JobRuns.Where(r => r.Id == runId && r.Progress < percent).ExecuteUpdateAsync(s => s.SetProperty(r => r.Progress, percent), ct);
    }

    private void Reached(string step, Guid runId)
    {
        foreach (var observer in observers)
            observer.Reached(step, runId);
    }
}
