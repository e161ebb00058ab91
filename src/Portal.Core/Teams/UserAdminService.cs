using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Teams;

public sealed record UserSummary(Guid Id, string Name, string? Email, string Issuer, bool IsDisabled, DateTimeOffset? LastSignInAt, int TeamCount);

/// <summary>Platform administration of people: list everyone who signed in, disable or re-enable an account.</summary>
public sealed class UserAdminService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IUserAccessChanges accessChanges)
{
    public async Task<Result<IReadOnlyList<UserSummary>>> ListAsync(CallerAccess caller, string? search, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewUsers) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLower();
            query = query.Where(u => u.Name.ToLower().Contains(term) || (u.Email != null && u.Email.ToLower().Contains(term)));
        }
        var users = await query.OrderBy(u => u.Name).Take(200)
            .Select(u => new UserSummary(u.Id, u.Name, u.Email, u.Issuer, u.IsDisabled, u.LastSignInAt,
                db.TeamMemberships.Where(m => m.UserId == u.Id).Select(m => m.TeamId).Distinct().Count()))
            .ToListAsync(ct);
        return Result<IReadOnlyList<UserSummary>>.From(users);
    }

    /// <summary>A disabled user loses cookies, API tokens they created and open pages at once, and cannot sign in.</summary>
    public async Task<Result> SetDisabledAsync(CallerAccess caller, Guid userId, bool disabled, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageUsers) is { } denied)
            return denied;
        if (caller.Actor.UserId == userId && disabled)
            return Error.Conflict("user.self-disable", "You cannot disable your own account.");
        // Closed before the open pages are told: each re-reads the user's stamp on a connection of its own.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
                return Error.NotFound("user.not-found", "This user does not exist.");
            if (user.IsDisabled == disabled)
                return Result.Ok();
            user.IsDisabled = disabled;
            user.SecurityStamp = User.NewStamp();
            db.Record(caller.Actor, clock.GetUtcNow(), disabled ? "user.disabled" : "user.enabled", "user", user.Id.ToString(),
                before: new { IsDisabled = !disabled }, after: new { IsDisabled = disabled });
            await db.SaveChangesAsync(ct);
        }
        await accessChanges.AccessChangedAsync(userId);
        return Result.Ok();
    }
}
