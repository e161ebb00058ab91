using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Teams;

public sealed record SignInIdentity(string Issuer, string Subject, string Name, string? Email, IReadOnlyList<string> Groups);

public sealed record SignedInUser(Guid UserId, string Name, string SecurityStamp);

/// <summary>
/// Runs at every OIDC sign-in: creates the user on first sight and replaces the roles that come
/// from IdP groups, so removing someone from a group revokes the role at their next sign-in.
/// </summary>
public sealed class SignInService(IDbContextFactory<PortalDbContext> dbFactory, GroupMapping mapping, TimeProvider clock)
{
    public async Task<Result<SignedInUser>> SignInAsync(SignInIdentity identity, string? clientAddress, string? correlationId, CancellationToken ct = default)
    {
        try
        {
            return await SignInOnceAsync(identity, clientAddress, correlationId, ct);
        }
        catch (UniqueViolationException)
        {
            // A parallel first sign-in of the same issuer and subject (two tabs) created the user a moment
            // ago: the second attempt finds and updates that user.
            return await SignInOnceAsync(identity, clientAddress, correlationId, ct);
        }
    }

    /// <summary>The user is found by issuer and subject only: e-mail addresses are neither unique nor stable.</summary>
    private async Task<Result<SignedInUser>> SignInOnceAsync(SignInIdentity identity, string? clientAddress, string? correlationId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Issuer == identity.Issuer && u.Subject == identity.Subject, ct);
        var isNew = user is null;
        if (user is null)
        {
            user = new User { Issuer = identity.Issuer, Subject = identity.Subject, Name = identity.Name, CreatedAt = now };
            db.Users.Add(user);
        }
        var actor = Actor.ForUser(user.Id, identity.Name) with { ClientAddress = clientAddress, CorrelationId = correlationId };
        if (isNew)
            db.Record(actor, now, "user.created", "user", user.Id.ToString(), after: new { identity.Issuer, identity.Subject, identity.Name, identity.Email });
        if (user.IsDisabled)
            return Error.Forbidden("user.disabled", "This account is disabled in the portal. Ask a platform administrator.");

        user.Name = identity.Name;
        user.Email = identity.Email;
        user.Groups = identity.Groups.Order(StringComparer.Ordinal).ToList();
        user.LastSignInAt = now;

        var changed = await SyncTeamRolesAsync(db, user, actor, now, ct) | await SyncGlobalRolesAsync(db, user, actor, now, ct);
        if (changed)
            user.SecurityStamp = User.NewStamp();

        db.Record(actor, now, "user.signed-in", "user", user.Id.ToString(), after: new { Groups = user.Groups });
        await db.SaveChangesAsync(ct);
        return new SignedInUser(user.Id, user.Name, user.SecurityStamp);
    }

    private async Task<bool> SyncTeamRolesAsync(PortalDbContext db, User user, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var wanted = mapping.Resolve(user.Groups).Where(x => x.Grant.TeamSlug is not null).ToList();
        var slugs = wanted.Select(w => w.Grant.TeamSlug!).Distinct().ToList();
        var teams = await db.Teams.Where(t => slugs.Contains(t.Slug)).ToDictionaryAsync(t => t.Slug, ct);
        var desired = wanted
            .Where(w => teams.ContainsKey(w.Grant.TeamSlug!))
            .Select(w => (TeamId: teams[w.Grant.TeamSlug!].Id, Role: w.Grant.TeamRole!.Value, w.Group))
            .ToHashSet();

        var current = await db.TeamMemberships
            .Where(m => m.UserId == user.Id && m.Source == MembershipSource.IdpGroup)
            .ToListAsync(ct);
        var changed = false;
        foreach (var m in current.Where(m => !desired.Contains((m.TeamId, m.Role, m.SourceDetail))))
        {
            db.TeamMemberships.Remove(m);
            db.Record(actor, now, "membership.revoked", "membership", m.Id.ToString(), m.TeamId,
                before: new { UserId = user.Id, m.Role, Source = m.Source, Group = m.SourceDetail });
            changed = true;
        }
        foreach (var d in desired.Where(d => !current.Any(m => (m.TeamId, m.Role, m.SourceDetail) == d)))
        {
            var m = new TeamMembership { TeamId = d.TeamId, UserId = user.Id, Role = d.Role, Source = MembershipSource.IdpGroup, SourceDetail = d.Group, GrantedAt = now };
            db.TeamMemberships.Add(m);
            db.Record(actor, now, "membership.granted", "membership", m.Id.ToString(), d.TeamId,
                after: new { UserId = user.Id, m.Role, Source = m.Source, Group = d.Group });
            changed = true;
        }
        return changed;
    }

    private async Task<bool> SyncGlobalRolesAsync(PortalDbContext db, User user, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var desired = mapping.Resolve(user.Groups)
            .Where(x => x.Grant.GlobalRole is not null)
            .Select(x => (Role: x.Grant.GlobalRole!.Value, x.Group))
            .ToHashSet();
        var current = await db.GlobalRoleAssignments
            .Where(g => g.UserId == user.Id && g.Source == MembershipSource.IdpGroup)
            .ToListAsync(ct);
        var changed = false;
        foreach (var g in current.Where(g => !desired.Contains((g.Role, g.SourceDetail))))
        {
            db.GlobalRoleAssignments.Remove(g);
            db.Record(actor, now, "global-role.revoked", "user", user.Id.ToString(), before: new { g.Role, Group = g.SourceDetail });
            changed = true;
        }
        foreach (var d in desired.Where(d => !current.Any(g => (g.Role, g.SourceDetail) == d)))
        {
            db.GlobalRoleAssignments.Add(new GlobalRoleAssignment { UserId = user.Id, Role = d.Role, Source = MembershipSource.IdpGroup, SourceDetail = d.Group, GrantedAt = now });
            db.Record(actor, now, "global-role.granted", "user", user.Id.ToString(), after: new { d.Role, Group = d.Group });
            changed = true;
        }
        return changed;
    }
}
