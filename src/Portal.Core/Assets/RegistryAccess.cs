using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Assets;

/// <summary>Finds an asset by team and name and decides what the caller may do with it: the one place for this rule.</summary>
internal static class RegistryAccess
{
    public static async Task<Result<(Team Team, Asset Asset)>> FindAsync(PortalDbContext db, CallerAccess caller, string teamSlug, string assetName,
        bool write, CancellationToken ct, bool track = false)
    {
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == teamSlug, ct);
        if (team is null)
            return caller.CanView(teamSlug) ? TeamErrors.NotFound(teamSlug) : RegistryErrors.AssetNotFound(assetName);
        var assets = track ? db.Assets : db.Assets.AsNoTracking();
        var name = Names.Canonical(assetName);
        var asset = await assets.SingleOrDefaultAsync(a => a.TeamId == team.Id && a.Name == name, ct);
        if (asset is null || !await CanReadAsync(db, caller, teamSlug, asset.Id, ct))
            return RegistryErrors.AssetNotFound(assetName);
        if (write && !caller.Has(teamSlug, TeamRole.Contributor))
            return caller.CanView(teamSlug) ? TeamErrors.Forbidden("change assets") : RegistryErrors.ReadOnly;
        return (team, asset);
    }

    public static async Task<bool> CanReadAsync(PortalDbContext db, CallerAccess caller, string teamSlug, Guid assetId, CancellationToken ct)
    {
        if (caller.CanView(teamSlug))
            return true;
        var myTeams = caller.Teams.Values.Select(t => t.TeamId).ToList();
        return await db.AssetShares.AnyAsync(s => s.AssetId == assetId && myTeams.Contains(s.TeamId), ct);
    }
}
