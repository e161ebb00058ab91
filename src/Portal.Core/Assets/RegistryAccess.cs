using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Assets;

/// <summary>Finds an asset by team and name and asks the gate whether the caller may do the action on it.</summary>
internal static class RegistryAccess
{
    public static async Task<Result<(Team Team, Asset Asset)>> FindAsync(PortalDbContext db, CallerAccess caller, string teamSlug, string assetName,
        PortalAction action, CancellationToken ct, bool track = false)
    {
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == teamSlug, ct);
        var assets = track ? db.Assets : db.Assets.AsNoTracking();
        var name = Names.Canonical(assetName);
        var asset = team is null ? null : await assets.SingleOrDefaultAsync(a => a.TeamId == team.Id && a.Name == name, ct);
        var shared = asset is not null && await IsSharedWithAsync(db, caller, asset.Id, ct);
        // A missing asset and an invisible one get the same answer, so names cannot be probed.
        if (AccessGate.Check(caller, action, AccessTarget.Asset(teamSlug, assetName, shared)) is { } denied)
            return denied;
        if (team is null)
            return TeamErrors.NotFound(teamSlug);
        if (asset is null)
            return RegistryErrors.AssetNotFound(assetName);
        return (team, asset);
    }

    public static async Task<bool> CanReadAsync(PortalDbContext db, CallerAccess caller, string teamSlug, Guid assetId, CancellationToken ct) =>
        caller.Allows(PortalAction.ReadAsset, AccessTarget.Asset(teamSlug, "", await IsSharedWithAsync(db, caller, assetId, ct)));

    /// <summary>Every asset one of the caller's teams holds a read-only share of: for walks that ask about many assets.</summary>
    public static async Task<HashSet<Guid>> SharedWithAsync(PortalDbContext db, CallerAccess caller, CancellationToken ct)
    {
        var myTeams = caller.Teams.Values.Select(t => t.TeamId).ToList();
        return myTeams.Count == 0 ? [] :
            [.. await db.AssetShares.AsNoTracking().Where(s => myTeams.Contains(s.TeamId)).Select(s => s.AssetId).ToListAsync(ct)];
    }

    /// <summary>Whether one of the caller's teams holds a read-only share of the asset.</summary>
    public static async Task<bool> IsSharedWithAsync(PortalDbContext db, CallerAccess caller, Guid assetId, CancellationToken ct)
    {
        var myTeams = caller.Teams.Values.Select(t => t.TeamId).ToList();
        return myTeams.Count > 0 && await db.AssetShares.AnyAsync(s => s.AssetId == assetId && myTeams.Contains(s.TeamId), ct);
    }
}
