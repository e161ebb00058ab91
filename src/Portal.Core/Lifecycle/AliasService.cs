using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Lifecycle;

public sealed record AliasView(string Name, string Version, Stage Stage, bool IsProtected, DateTimeOffset UpdatedAt, string UpdatedBy, int Revision);

public sealed record AliasArtifact(string Path, string Sha256, long Size);

/// <summary>What code gets when it asks for an alias: the version and the digests of its files.</summary>
public sealed record AliasResolution(string Alias, string Version, Guid VersionId, Stage Stage, bool IsProtected, IReadOnlyList<AliasArtifact> Artifacts, int Revision);

/// <summary>Aliases: resolved by code, moved directly when unprotected, through a transition request when protected.</summary>
public sealed class AliasService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<AliasView>>> ListAsync(CallerAccess caller, string team, string asset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        return await AliasesAsync(db, found.Value.Asset.Id, ct);
    }

    // A move answers with the alias as saved, read on the move's own connection.
    private static async Task<List<AliasView>> AliasesAsync(PortalDbContext db, Guid assetId, CancellationToken ct) =>
        await db.Aliases.AsNoTracking().Where(a => a.AssetId == assetId).OrderBy(a => a.Name)
            .Join(db.Versions, a => a.VersionId, v => v.Id, (a, v) => new AliasView(a.Name, v.Version, v.Stage, a.IsProtected, a.UpdatedAt, a.UpdatedBy, a.Revision))
            .ToListAsync(ct);

    public async Task<Result<AliasResolution>> ResolveAsync(CallerAccess caller, string team, string asset, string alias, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Asset.Id;
        var row = await db.Aliases.AsNoTracking().Where(a => a.AssetId == id && a.Name == alias)
            .Join(db.Versions, a => a.VersionId, v => v.Id, (a, v) => new { a.Name, a.IsProtected, a.Revision, v.Version, VersionId = v.Id, v.Stage })
            .SingleOrDefaultAsync(ct);
        if (row is null)
            return LifecycleErrors.AliasNotFound(alias);
        var artifacts = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == row.VersionId).OrderBy(a => a.Path)
            .Select(a => new AliasArtifact(a.Path, a.Sha256, a.Size)).ToListAsync(ct);
        return new AliasResolution(row.Name, row.Version, row.VersionId, row.Stage, row.IsProtected, artifacts, row.Revision);
    }

    /// <summary>Points an unprotected alias at a Ready version of the same asset; protected ones need a request.</summary>
    public async Task<Result<AliasView>> MoveAsync(CallerAccess caller, string team, string asset, string alias, string version, CancellationToken ct = default)
    {
        if (!Slug.IsValid(alias))
            return LifecycleErrors.AliasInvalid;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RequestTransitions, ct);
        if (!found.IsSuccess)
            return found.Error!;
        if (found.Value.Version.Status != VersionStatus.Ready)
            return LifecycleErrors.NotReady;
        if (found.Value.Version.ArchivedAt is not null)
            return LifecycleErrors.InColdStore;
        if (await db.Aliases.AnyAsync(a => a.AssetId == found.Value.Asset.Id && a.Name == alias && a.IsProtected, ct))
            return LifecycleErrors.AliasProtected;
        await StageMover.PointAliasAsync(db, found.Value.Asset, found.Value.Version, alias, caller.Actor, clock.GetUtcNow(), null, ct);
        if (await SaveAsync(db, ct) is { } raced)
            return raced;
        return (await AliasesAsync(db, found.Value.Asset.Id, ct)).Single(a => a.Name == alias);
    }

    public async Task<Result<AliasView>> SetProtectedAsync(CallerAccess caller, string team, string asset, string alias, bool isProtected, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Protecting is the team's; lifting it is central governance's, checked once the asset is known to be visible (404 before 403).
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, isProtected ? PortalAction.ProtectAliases : PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        if (!isProtected && AccessGate.Check(caller, PortalAction.UnprotectAliases) is { } denied)
            return denied;
        var row = await db.Aliases.SingleOrDefaultAsync(a => a.AssetId == found.Value.Asset.Id && a.Name == alias, ct);
        if (row is null)
            return LifecycleErrors.AliasNotFound(alias);
        if (row.IsProtected != isProtected)
        {
            var now = clock.GetUtcNow();
            row.IsProtected = isProtected;
            row.UpdatedAt = now;
            row.UpdatedBy = caller.Actor.Name;
            row.Revision++;
            db.Record(caller.Actor, now, isProtected ? "alias.protected" : "alias.unprotected", "asset", found.Value.Asset.Id.ToString(), found.Value.Team.Id,
                after: new { Alias = alias });
            if (await SaveAsync(db, ct) is { } raced)
                return raced;
        }
        return (await AliasesAsync(db, found.Value.Asset.Id, ct)).Single(a => a.Name == alias);
    }

    private static async Task<Error?> SaveAsync(PortalDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException)
        {
            // A concurrent move or creation of the same alias won.
            return LifecycleErrors.Raced;
        }
    }
}
