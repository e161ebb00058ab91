using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Teams;

public sealed record TeamSummary(Guid Id, string Slug, string Name, string Description, TeamRole? MyRole);

public sealed record ActivityItem(long Sequence, DateTimeOffset OccurredAt, string ActorName, string Action, string SubjectType, string SubjectId)
{
    public ActivitySubject? Subject { get; init; }
}

public sealed record TeamActivityItem(string TeamSlug, string TeamName, ActivityItem Item);

public sealed record TeamWorkspace(TeamSummary Team, int MemberCount, int ActiveTokenCount, IReadOnlyList<ActivityItem> RecentActivity);

public sealed class TeamService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The teams the caller may open: their own, or all of them for Auditors and PlatformAdmins.</summary>
    public async Task<IReadOnlyList<TeamSummary>> ListVisibleAsync(CallerAccess caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Teams.AsNoTracking();
        if (!caller.Allows(PortalAction.ViewAllTeams))
        {
            var slugs = caller.Teams.Keys.ToList();
            query = query.Where(t => slugs.Contains(t.Slug));
        }
        var teams = await query.OrderBy(t => t.Name).ToListAsync(ct);
        return teams.Select(t => new TeamSummary(t.Id, t.Slug, t.Name, t.Description, caller.RoleIn(t.Slug))).ToList();
    }

    /// <summary>Every team's slug and name, for choosing whom to share with; names are not secret within the organization.</summary>
    public async Task<IReadOnlyList<(string Slug, string Name)>> DirectoryAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Slug, t.Name }).ToListAsync(ct);
        return teams.Select(t => (t.Slug, t.Name)).ToList();
    }

    /// <summary>Recent changes in the teams the caller works in (all teams for Auditors and PlatformAdmins).</summary>
    public async Task<IReadOnlyList<TeamActivityItem>> RecentActivityAsync(CallerAccess caller, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.TeamId != null);
        if (!caller.Allows(PortalAction.ViewAllTeams))
        {
            var ids = caller.Teams.Values.Select(t => t.TeamId).ToList();
            events = events.Where(e => ids.Contains(e.TeamId!.Value));
        }
        var rows = await events
            .OrderByDescending(e => e.Sequence)
            .Take(Math.Clamp(take, 1, 100))
            .Join(db.Teams, e => e.TeamId, t => t.Id, (e, t) => new TeamActivityItem(t.Slug, t.Name,
                new ActivityItem(e.Sequence, e.OccurredAt, e.ActorName, e.Action, e.SubjectType, e.SubjectId)))
            .ToListAsync(ct);
        var named = await ActivitySubjects.NameAsync(db, rows.Select(r => r.Item).ToList(), ct);
        return rows.Select((r, i) => r with { Item = named[i] }).ToList();
    }

    public async Task<Result<TeamWorkspace>> GetWorkspaceAsync(CallerAccess caller, string slug, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, slug) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, ct);
        if (team is null)
            return TeamErrors.NotFound(slug);
        var now = clock.GetUtcNow();
        var members = await db.TeamMemberships.Where(m => m.TeamId == team.Id).Select(m => m.UserId).Distinct().CountAsync(ct);
        var tokens = await db.ApiTokens.CountAsync(t => t.TeamId == team.Id && t.RevokedAt == null && t.ExpiresAt > now, ct);
        var activity = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TeamId == team.Id)
            .OrderByDescending(e => e.Sequence)
            .Take(10)
            .Select(e => new ActivityItem(e.Sequence, e.OccurredAt, e.ActorName, e.Action, e.SubjectType, e.SubjectId))
            .ToListAsync(ct);
        activity = await ActivitySubjects.NameAsync(db, activity, ct);
        return new TeamWorkspace(new TeamSummary(team.Id, team.Slug, team.Name, team.Description, caller.RoleIn(slug)), members, tokens, activity);
    }

    public async Task<Result<TeamSummary>> CreateAsync(CallerAccess caller, string slug, string name, string description, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.CreateTeams) is { } denied)
            return denied;
        if (Team.Validate(slug, name, description) is { } invalid)
            return invalid;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Teams.AnyAsync(t => t.Slug == slug, ct))
            return TeamErrors.Exists;
        var now = clock.GetUtcNow();
        var team = new Team { Slug = slug, Name = name.Trim(), Description = description.Trim(), CreatedAt = now };
        db.Teams.Add(team);
        db.Record(caller.Actor, now, "team.created", "team", slug, team.Id, after: new { team.Slug, team.Name, team.Description });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (UniqueViolationException)
        {
            // Another administrator created the same slug between the check and the save.
            return TeamErrors.Exists;
        }
        return new TeamSummary(team.Id, team.Slug, team.Name, team.Description, null);
    }

    public async Task<Result<TeamSummary>> UpdateAsync(CallerAccess caller, string slug, string name, string description, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ChangeTeamSettings, slug) is { } denied)
            return denied;
        if (Team.Validate(slug, name, description) is { } invalid)
            return invalid;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Slug == slug, ct);
        if (team is null)
            return TeamErrors.NotFound(slug);
        var before = new { team.Name, team.Description };
        team.Name = name.Trim();
        team.Description = description.Trim();
        db.Record(caller.Actor, clock.GetUtcNow(), "team.updated", "team", slug, team.Id, before, new { team.Name, team.Description });
        await db.SaveChangesAsync(ct);
        return new TeamSummary(team.Id, team.Slug, team.Name, team.Description, caller.RoleIn(slug));
    }
}
