using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Jobs;

public sealed record JobRunPage(IReadOnlyList<JobRunView> Items, int Total);

/// <summary>A team's background runs, newest first, for its Jobs page.</summary>
public sealed class JobRunService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<JobRunPage>> ListAsync(CallerAccess caller, string team, string? kind, JobRunState? state, int skip, int take,
        CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeamJobs, AccessTarget.Team(team)) is { } denied)
            return denied;
        if (skip < 0 || Paging.LimitProblem(take) is { } limit)
            return Paging.Invalid(new Dictionary<string, string[]> { [skip < 0 ? "skip" : "take"] = [skip < 0 ? "Zero or more." : Paging.LimitProblem(take)!] });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamId = await db.Teams.Where(t => t.Slug == team).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
        if (teamId is null)
            return TeamErrors.NotFound(team);
        var query = db.JobRuns.AsNoTracking().Where(r => r.TeamId == teamId);
        if (kind is not null)
            query = query.Where(r => r.Kind == kind);
        if (state is not null)
            query = query.Where(r => r.State == state);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(r => r.QueuedAt).ThenBy(r => r.Id).Skip(skip).Take(take).Select(JobRunView.From).ToListAsync(ct);
        return new JobRunPage(items, total);
    }
}
