using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Teams;

public sealed class AccessService(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The caller's current roles, or null when the user is unknown or disabled.</summary>
    public async Task<CallerAccess?> ForUserAsync(Guid userId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ForUserAsync(db, userId, actor, ct);
    }

    /// <summary>The same, read on a context the caller already holds (a job's: no second connection while it is open).</summary>
    internal static async Task<CallerAccess?> ForUserAsync(PortalDbContext db, Guid userId, Actor actor, CancellationToken ct) =>
        Of(await Roles.For(db)(db, userId, ct), actor);

    /// <summary>A person's access from their roles as read, or null when the person is unknown or disabled.</summary>
    internal static CallerAccess? Of(UserRoles? user, Actor actor)
    {
        if (user is null || user.IsDisabled)
            return null;

        var teams = user.Memberships
            .GroupBy(m => m.Slug)
            .ToDictionary(g => g.Key, g => new TeamAccess(g.First().TeamId, g.Key, g.First().Name, g.Max(m => m.Role)));
        return new CallerAccess(actor, user.Globals.ToHashSet(), teams);
    }

    // Every request of a person and every token's issuer check read it: compiled once (no per-call expression work), and one
    // query on purpose: memberships × global roles of one person are a handful of rows, cheaper than a second round trip.
    private static readonly PerModel<Func<PortalDbContext, Guid, CancellationToken, Task<UserRoles?>>> Roles = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, Guid userId, CancellationToken ct) => db.Users.AsNoTracking().AsSingleQuery().Where(u => u.Id == userId).Select(u => new UserRoles(
            u.IsDisabled,
            db.TeamMemberships.Where(m => m.UserId == u.Id).Select(m => new Membership(m.TeamId, m.Team!.Slug, m.Team.Name, m.Role)).ToList(),
            db.GlobalRoleAssignments.Where(g => g.UserId == u.Id).Select(g => g.Role).ToList())).SingleOrDefault()));

    internal sealed record Membership(Guid TeamId, string Slug, string Name, TeamRole Role);

    internal sealed record UserRoles(bool IsDisabled, List<Membership> Memberships, List<GlobalRole> Globals);

    /// <summary>A service principal holds exactly the team and role its token was issued for.</summary>
    public static CallerAccess ForToken(ApiTokenPrincipal token, Actor actor) =>
        new(actor, new HashSet<GlobalRole>(), new Dictionary<string, TeamAccess>
        {
            [token.TeamSlug] = new(token.TeamId, token.TeamSlug, token.TeamName, token.Role),
        })
        { MayRecordEvidence = token.MayRecordEvidence };

    /// <summary>Whether one of the caller's teams holds a read-only share of the named asset.</summary>
    public async Task<bool> IsSharedWithAsync(CallerAccess caller, string teamSlug, string assetName, CancellationToken ct = default)
    {
        if (caller.Teams.Count == 0)
            return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var assetId = await db.Assets.Where(a => a.Name == assetName && db.Teams.Any(t => t.Id == a.TeamId && t.Slug == teamSlug))
            .Select(a => (Guid?)a.Id).SingleOrDefaultAsync(ct);
        return assetId is { } id && await Assets.RegistryAccess.IsSharedWithAsync(db, caller, id, ct);
    }

    public async Task<string?> SecurityStampAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && !u.IsDisabled)
            .Select(u => u.SecurityStamp)
            .SingleOrDefaultAsync(ct);
    }
}
