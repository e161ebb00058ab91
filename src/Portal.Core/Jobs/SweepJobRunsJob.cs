using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Jobs;

/// <summary>
/// Fails runs that passed their deadline (a run nobody claimed, a worker that died for good), so no run
/// stays Queued or Running for ever; the reason says which, visibly, on the Jobs page.
/// </summary>
public sealed class SweepJobRunsJob(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const string Id = "sweep-job-runs";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var late = await db.JobRuns.Where(r => (r.State == JobRunState.Queued || r.State == JobRunState.Running) && r.DeadlineAt < now).OrderBy(r => r.DeadlineAt).Take(500).ToListAsync(ct);
        foreach (var run in late)
        {
            var reason = run.External
                ? run.State == JobRunState.Queued ? "Timed out: no external runner claimed it." : $"Timed out: the external runner {run.ClaimedBy} never reported results."
                : "Timed out: the run did not finish in time (the worker may have stopped).";
            run.Fail(now, reason);
            run.TicketHash = null;
            db.Record(Actor.Job(Id), now, $"{run.Kind}.timed-out", run.SubjectType, run.SubjectId, run.TeamId, after: new { Run = run.Id, Reason = reason });
        }
        await db.SaveChangesAsync(ct);
        return late.Count;
    }

    /// <summary>Unfinished in-process runs, to queue again at start-up: an in-memory queue forgets them on restart.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Kind)>> UnfinishedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var rows = await db.JobRuns.AsNoTracking()
            .Where(r => !r.External && (r.State == JobRunState.Queued || r.State == JobRunState.Running) && (r.DeadlineAt == null || r.DeadlineAt >= now))
            .Select(r => new { r.Id, r.Kind }).ToListAsync(ct);
        return rows.Select(r => (r.Id, r.Kind)).ToList();
    }
}
