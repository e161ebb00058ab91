using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Teams;

public sealed record MemberRole(Guid MembershipId, TeamRole Role, MembershipSource Source, string SourceDetail, DateTimeOffset GrantedAt);

public sealed record Member(Guid UserId, string Name, string? Email, bool IsDisabled, TeamRole EffectiveRole, IReadOnlyList<MemberRole> Roles);

public sealed record GlobalRoleView(GlobalRole Role, MembershipSource Source, string SourceDetail);

public sealed record Profile(Guid UserId, string Name, string? Email, string Issuer, string Subject, IReadOnlyList<string> Groups,
    DateTimeOffset? LastSignInAt, IReadOnlyList<(TeamSummary Team, IReadOnlyList<MemberRole> Roles)> Teams, IReadOnlyList<GlobalRoleView> GlobalRoles);

/// <summary>Team membership: the IdP-derived roles (read-only here) and local grants by TeamAdmins.</summary>
public sealed class MembershipService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IUserAccessChanges accessChanges)
{
    public async Task<Result<IReadOnlyList<Member>>> ListAsync(CallerAccess caller, string slug, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, slug) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TeamMemberships.AsNoTracking()
            .Where(m => m.Team!.Slug == slug)
            .Select(m => new { m.Id, m.UserId, m.User!.Name, m.User.Email, m.User.IsDisabled, m.Role, m.Source, m.SourceDetail, m.GrantedAt })
            .ToListAsync(ct);
        IReadOnlyList<Member> members = rows
            .GroupBy(r => r.UserId)
            .Select(g => new Member(g.Key, g.First().Name, g.First().Email, g.First().IsDisabled, g.Max(r => r.Role),
                g.OrderByDescending(r => r.Role).Select(r => new MemberRole(r.Id, r.Role, r.Source, r.SourceDetail, r.GrantedAt)).ToList()))
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return Result<IReadOnlyList<Member>>.From(members);
    }

    /// <summary>Grants a local role to a user who has signed in before, found by e-mail.</summary>
    public async Task<Result<MemberRole>> GrantAsync(CallerAccess caller, string slug, string email, TeamRole role, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageMembers, slug) is { } denied)
            return denied;
        if (!Enum.IsDefined(role))
            return Error.Validation("membership.invalid", "Choose a role: Viewer, Contributor, Approver or TeamAdmin.");
        MemberRole granted;
        Guid? narrowedFor;
        // Closed before the open pages are told: each re-reads the user's stamp on a connection of its own.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var team = await db.Teams.SingleOrDefaultAsync(t => t.Slug == slug, ct);
            if (team is null)
                return TeamErrors.NotFound(slug);
            var normalized = email.Trim().ToLowerInvariant();
            // Nothing makes e-mail addresses unique (two IdP accounts may share one): refuse to guess between people.
            var matches = await db.Users.Where(u => u.Email != null && u.Email.ToLower() == normalized).OrderBy(u => u.Id).Take(2).ToListAsync(ct);
            if (matches.Count == 0)
                return TeamErrors.UserNotFound;
            if (matches.Count > 1)
                return TeamErrors.UserAmbiguous;
            var user = matches[0];

            var now = clock.GetUtcNow();
            var existing = await db.TeamMemberships.SingleOrDefaultAsync(
                m => m.TeamId == team.Id && m.UserId == user.Id && m.Source == MembershipSource.LocalGrant, ct);
            var before = existing is null ? null : new { UserId = user.Id, existing.Role, existing.Source };
            if (existing is not null)
                db.TeamMemberships.Remove(existing);
            var membership = new TeamMembership
            {
                TeamId = team.Id, UserId = user.Id, Role = role, Source = MembershipSource.LocalGrant,
                SourceDetail = caller.Actor.Name, GrantedAt = now,
            };
            db.TeamMemberships.Add(membership);
            user.SecurityStamp = User.NewStamp();
            db.Record(caller.Actor, now, "membership.granted", "membership", membership.Id.ToString(), team.Id, before,
                new { UserId = user.Id, user.Name, Role = role, Source = MembershipSource.LocalGrant });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is UniqueViolationException or DbUpdateConcurrencyException)
            {
                return TeamErrors.MembershipRaced;
            }
            granted = new MemberRole(membership.Id, role, membership.Source, membership.SourceDetail, now);
            narrowedFor = existing is not null && existing.Role > role ? user.Id : null;
        }
        if (narrowedFor is { } narrowed)
            await accessChanges.AccessChangedAsync(narrowed);
        return granted;
    }

    public async Task<Result> RevokeAsync(CallerAccess caller, string slug, Guid membershipId, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageMembers, slug) is { } denied)
            return denied;
        Guid userId;
        // Closed before the open pages are told: each re-reads the user's stamp on a connection of its own.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var membership = await db.TeamMemberships.Include(m => m.User)
                .SingleOrDefaultAsync(m => m.Id == membershipId && m.Team!.Slug == slug, ct);
            if (membership is null)
                return TeamErrors.MembershipNotFound;
            if (membership.Source == MembershipSource.IdpGroup)
                return TeamErrors.IdpManaged;
            db.TeamMemberships.Remove(membership);
            membership.User!.SecurityStamp = User.NewStamp();
            db.Record(caller.Actor, clock.GetUtcNow(), "membership.revoked", "membership", membership.Id.ToString(), membership.TeamId,
                before: new { membership.UserId, membership.User.Name, membership.Role, membership.Source });
            await db.SaveChangesAsync(ct);
            userId = membership.UserId;
        }
        await accessChanges.AccessChangedAsync(userId);
        return Result.Ok();
    }

    public async Task<Profile?> GetProfileAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
            return null;
        var memberships = await db.TeamMemberships.AsNoTracking().Include(m => m.Team)
            .Where(m => m.UserId == userId).ToListAsync(ct);
        var globals = await db.GlobalRoleAssignments.AsNoTracking().Where(g => g.UserId == userId)
            .Select(g => new GlobalRoleView(g.Role, g.Source, g.SourceDetail)).ToListAsync(ct);
        var teams = memberships
            .GroupBy(m => m.TeamId)
            .Select(g => (Team: g.First().Team!, Rows: g))
            .OrderBy(g => g.Team.Name)
            .Select(g => (new TeamSummary(g.Team.Id, g.Team.Slug, g.Team.Name, g.Team.Description, g.Rows.Max(m => m.Role)),
                (IReadOnlyList<MemberRole>)g.Rows.Select(m => new MemberRole(m.Id, m.Role, m.Source, m.SourceDetail, m.GrantedAt)).ToList()))
            .ToList();
        return new Profile(user.Id, user.Name, user.Email, user.Issuer, user.Subject, user.Groups, user.LastSignInAt, teams, globals);
    }
}
