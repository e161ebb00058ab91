using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Assets;

/// <summary>Finds an asset by team and name and asks the gate whether the caller may do the action on it.</summary>
internal static class RegistryAccess
{
    public static async Task<Result<(Team Team, Asset Asset)>> FindAsync(PortalDbContext db, CallerAccess caller, string teamSlug, string assetName,
        PortalAction action, CancellationToken ct, bool track = false)
    {
        var name = Names.Canonical(assetName);
        // One round trip for both: a missing team and a missing asset are told apart from the row, after the gate.
        var row = await AssetRow.Find.For(db)(db, teamSlug, name, ct);
        // Read untracked; a caller that changes the asset gets it attached, as if it had been read tracked.
        if (track && row?.Asset is { } asset)
            db.Attach(asset);
        if (await CheckAsync(db, caller, action, teamSlug, assetName, row?.Asset?.Id, ct) is { } denied)
            return denied;
        if (row is null)
            return TeamErrors.NotFound(teamSlug);
        if (row.Asset is null)
            return RegistryErrors.AssetNotFound(assetName);
        return (row.Team, row.Asset);
    }

    public static async Task<Result<(Guid TeamId, Asset Asset, AssetVersion Version)>> FindVersionAsync(PortalDbContext db, CallerAccess caller,
        string team, string asset, string version, PortalAction action, CancellationToken ct, bool trackAsset = false)
    {
        // A version that cannot be parsed names nothing: say so (400), after the gate has had its say, rather than look it up.
        var parsed = AssetVersion.ParseVersion(version);
        if (!parsed.IsSuccess)
        {
            var gated = await RegistryAccess.FindAsync(db, caller, team, asset, action, ct);
            return gated.IsSuccess ? parsed.Error! : gated.Error!;
        }
        var normalized = parsed.Value.ToString();
        var name = Names.Canonical(asset);
        // Team, asset and version in one round trip; the version comes back tracked for the caller to change, the asset only when asked.
        var row = await VersionRow.Find.For(db)(db, team, name, normalized, ct);
        if (row is not null)
        {
            db.Entry(row.Team).State = EntityState.Detached;
            if (row.Asset is not null && !trackAsset)
                db.Entry(row.Asset).State = EntityState.Detached;
        }
        if (await RegistryAccess.CheckAsync(db, caller, action, team, asset, row?.Asset?.Id, ct) is { } denied)
            return denied;
        if (row is null)
            return TeamErrors.NotFound(team);
        if (row.Asset is null)
            return RegistryErrors.AssetNotFound(asset);
        return row.Version is null ? RegistryErrors.VersionNotFound(version) : (row.Team.Id, row.Asset, row.Version);
    }

    /// <summary>Team and asset as one row; the asset is null when missing.</summary>
    private sealed class AssetRow
    {
        // Every asset-scoped call starts here: compiled once, it skips EF Core's per-call expression work.
        public static readonly PerModel<Func<PortalDbContext, string, string, CancellationToken, Task<AssetRow?>>> Find = new(() => EF.CompileAsyncQuery(
            (PortalDbContext db, string team, string name, CancellationToken ct) => (
                from t in db.Teams
                where t.Slug == team
                from a in db.Assets.Where(a => a.TeamId == t.Id && a.Name == name).DefaultIfEmpty()
                select new AssetRow { Team = t, Asset = a }).AsNoTracking().SingleOrDefault()));

        public required Team Team { get; init; }

        public Asset? Asset { get; init; }
    }

    /// <summary>Team, asset and version as one row; asset and version are null when missing.</summary>
    private sealed class VersionRow
    {
        // Every version-scoped call starts here: compiled once, it skips EF Core's per-call expression work (parameter extraction, cache key).
        public static readonly PerModel<Func<PortalDbContext, string, string, string, CancellationToken, Task<VersionRow?>>> Find = new(() => EF.CompileAsyncQuery(
            (PortalDbContext db, string team, string name, string version, CancellationToken ct) => (
                from t in db.Teams
                where t.Slug == team
                from a in db.Assets.Where(a => a.TeamId == t.Id && a.Name == name).DefaultIfEmpty()
                from v in db.Versions.Where(v => v.AssetId == a.Id && v.Version == version).DefaultIfEmpty()
                select new VersionRow { Team = t, Asset = a, Version = v }).AsTracking().SingleOrDefault()));

        public required Team Team { get; init; }

        public Asset? Asset { get; init; }

        public AssetVersion? Version { get; init; }
    }

    /// <summary>The gate's answer for an asset; a missing asset and an invisible one get the same answer, so names cannot be probed.</summary>
    public static Task<Error?> CheckAsync(PortalDbContext db, CallerAccess caller, PortalAction action, string teamSlug, string assetName, Guid? assetId,
        CancellationToken ct) =>
        AccessGate.CheckAssetAsync(caller, action, teamSlug, assetName, () => assetId is { } id ? IsSharedWithAsync(db, caller, id, ct) : Task.FromResult(false));

    public static async Task<bool> CanReadAsync(PortalDbContext db, CallerAccess caller, string teamSlug, Guid assetId, CancellationToken ct) =>
        await CheckAsync(db, caller, PortalAction.ReadAsset, teamSlug, "", assetId, ct) is null;

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
