using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Jobs;

public sealed record JobRunPage(IReadOnlyList<JobRunView> Items, int Total);

/// <summary>A golden check the Jobs page offers to start, with its asset's Ready versions, newest first.</summary>
public sealed record StartableCheck(string Asset, string Check, IReadOnlyList<string> ReadyVersions);

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
        var teamId = await db.TeamIdAsync(team, ct);
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

    public const int StartableVersions = 20;

    /// <summary>The team's enabled golden checks and the versions each may run on: the Jobs page's start form.</summary>
    public async Task<Result<IReadOnlyList<StartableCheck>>> StartableChecksAsync(CallerAccess caller, string team, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeamJobs, AccessTarget.Team(team)) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var checks = await (from c in db.GoldenChecks.AsNoTracking()
                            join a in db.Assets on c.AssetId equals a.Id
                            join t in db.Teams on a.TeamId equals t.Id
                            where t.Slug == team && c.Enabled
                            orderby a.Name, c.Name
                            select new { AssetId = a.Id, Asset = a.Name, Check = c.Name }).ToListAsync(ct);
        var assetIds = checks.Select(c => c.AssetId).Distinct().ToList();
        var versions = await db.Versions.AsNoTracking()
            .Where(v => assetIds.Contains(v.AssetId) && v.Status == Versions.VersionStatus.Ready)
            .Select(v => new { v.AssetId, v.Version, v.CreatedAt }).ToListAsync(ct);
        var byAsset = versions.GroupBy(v => v.AssetId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<string>)g.OrderByDescending(v => v.CreatedAt).Take(StartableVersions).Select(v => v.Version).ToList());
        return checks.Select(c => new StartableCheck(c.Asset, c.Check, byAsset.GetValueOrDefault(c.AssetId, []))).ToList();
    }
}
