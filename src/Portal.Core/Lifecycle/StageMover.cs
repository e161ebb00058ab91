using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Versions;

namespace Portal.Core.Lifecycle;

/// <summary>
/// The only code that changes a stage or points an alias: inside the caller's unit of work, each move
/// with its history row and audit event. A new Production version retires the old one to Archived
/// and keeps it as the rollback target.
/// </summary>
internal static class StageMover
{
    public static async Task MoveAsync(PortalDbContext db, Asset asset, AssetVersion version, TransitionTarget target, Actor actor, DateTimeOffset now,
        long? requestId, string reason, CancellationToken ct)
    {
        if (target.Alias is { } name)
        {
            await PointAliasAsync(db, asset, version, name, actor, now, requestId, ct);
            return;
        }
        var to = target.Stage!.Value;
        if (to == Stage.Production)
        {
            var current = await CurrentProduction.For(db)(db, asset.Id, version.Id, ct);
            if (current is not null)
            {
                Change(db, asset, current, Stage.Archived, actor, now, requestId, $"Replaced in Production by {version.Version}");
                asset.RollbackVersionId = current.Id;
            }
        }
        Change(db, asset, version, to, actor, now, requestId, reason);
    }

    // Every approval to Production reads it: compiled once, it skips EF Core's per-call expression work.
    private static readonly PerModel<Func<PortalDbContext, Guid, Guid, CancellationToken, Task<AssetVersion?>>> CurrentProduction = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, Guid assetId, Guid versionId, CancellationToken ct) =>
            db.Versions.AsTracking().SingleOrDefault(v => v.AssetId == assetId && v.Stage == Stage.Production && v.Id != versionId)));

    public static void Change(PortalDbContext db, Asset asset, AssetVersion version, Stage to, Actor actor, DateTimeOffset now, long? requestId, string reason)
    {
        reason = StageChange.Fit(reason);
        var from = version.Stage;
        version.MoveTo(to, now);
        version.Revision++;
        db.StageChanges.Add(new StageChange
        {
            AssetId = asset.Id, VersionId = version.Id, From = from, To = to, ChangedAt = now, ChangedBy = actor.Name, RequestId = requestId, Reason = reason,
        });
        db.Record(actor, now, "stage.changed", "version", version.Id.ToString(), asset.TeamId,
            before: new { Stage = from }, after: new { Stage = to, Version = version.Version, RequestId = requestId, Reason = reason });
    }

    public static async Task PointAliasAsync(PortalDbContext db, Asset asset, AssetVersion version, string name, Actor actor, DateTimeOffset now,
        long? requestId, CancellationToken ct)
    {
        var alias = await db.Aliases.SingleOrDefaultAsync(a => a.AssetId == asset.Id && a.Name == name, ct);
        var before = alias?.VersionId;
        if (alias is null)
        {
            alias = new AssetAlias { AssetId = asset.Id, Name = name, VersionId = version.Id, UpdatedAt = now, UpdatedBy = actor.Name };
            db.Aliases.Add(alias);
        }
        else
        {
            alias.VersionId = version.Id;
            alias.UpdatedAt = now;
            alias.UpdatedBy = actor.Name;
            alias.Revision++;
        }
        db.Record(actor, now, "alias.moved", "asset", asset.Id.ToString(), asset.TeamId,
            before: before is null ? null : new { Alias = name, VersionId = before }, after: new { Alias = name, Version = version.Version, RequestId = requestId });
    }
}
