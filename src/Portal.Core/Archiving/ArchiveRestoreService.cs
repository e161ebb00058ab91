using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Artifacts;
using Portal.Core.Audit;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Archiving;

public sealed record RestoredVersion(string Asset, string Version, Stage Stage, int BlobsRestored);

public sealed record PurgedVersion(string Asset, string Version, int Files, int BlobsDeleted, long Bytes);

/// <summary>Undoing an archive (restore on demand) and the one way anything is deleted for good (an explicit, audited purge).</summary>
public sealed class ArchiveRestoreService(IDbContextFactory<PortalDbContext> dbFactory, ArchiveBlobMover mover, IArtifactStore hot, ColdStore cold,
    TimeProvider clock)
{
    /// <summary>
    /// Brings the version's cold blobs back to the hot store byte-identical (each digest verified), then the version
    /// back to the stage it had before the archive run (None). Killed half-way, asking again finishes the rest. Holds the lease of
    /// every blob of the version until the version is live again: an archive run moving one of them meanwhile (it still sees the
    /// version archived) would otherwise take a blob this restore found hot to the cold store under a version that is live.
    /// </summary>
    public async Task<Result<RestoredVersion>> RestoreAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ManageArchiving, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        if (v.PurgedAt is not null)
            return ArchivingErrors.Purged;
        if (v.ArchivedAt is null)
            return ArchivingErrors.NotArchived;
        var shas = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == v.Id).Select(a => a.Sha256).Distinct().ToListAsync(ct);
        var held = await BlobLeases.TakeAllAsync(db, shas, $"restore:{v.Id}", clock, ct);
        if (!held.IsSuccess)
            return held.Error!;
        try
        {
            return await RestoreHeldAsync(db, caller, found.Value, held.Value, ct);
        }
        finally
        {
            await BlobLeases.ReleaseAsync(db, held.Value);
        }
    }

    private async Task<Result<RestoredVersion>> RestoreHeldAsync(PortalDbContext db, CallerAccess caller, (Guid TeamId, Asset Asset, AssetVersion Version) found,
        IReadOnlyList<BlobLease> leases, CancellationToken ct)
    {
        var v = found.Version;
        var restored = 0;
        foreach (var lease in leases)
        {
            var warmed = await mover.WarmAsync(db, lease, caller.Actor, found.TeamId, ct);
            if (!warmed.IsSuccess)
                return warmed.Error!;
            restored += warmed.Value ? 1 : 0;
        }
        var now = clock.GetUtcNow();
        // A version moved on (back to Staging) while archived keeps its stage; only Archived goes back to None.
        if (v.Stage == Stage.Archived)
            StageMover.Change(db, found.Asset, v, Stage.None, caller.Actor, now, null, "Restored from the archive");
        (v.ArchivedAt, v.ArchiveRunId) = (null, null);
        // A restore is asked for in order to use the files: it counts as a download, so the next run does not archive it again at once.
        v.LastDownloadedAt = now;
        db.Record(caller.Actor, now, "version.restored", "version", v.Id.ToString(), found.TeamId, after: new { v.Version, BlobsRestored = restored });
        await db.SaveChangesAsync(ct);
        return new RestoredVersion(found.Asset.Name, v.Version, v.Stage, restored);
    }

    /// <summary>
    /// Deletes an archived version's files for good, after the retention period, when the caller typed
    /// <c>asset/version</c>. Refused while a lineage edge, an alias or a live version still refers to it or its content.
    /// The rows go first, in one audited transaction, the bytes after: a crash leaves unused bytes, never a file without them.
    /// </summary>
    public async Task<Result<PurgedVersion>> PurgeAsync(CallerAccess caller, string team, string asset, string version, string? confirm, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ManageArchiving, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        var name = $"{found.Value.Asset.Name}/{v.Version}";
        if (v.PurgedAt is not null)
            return ArchivingErrors.Purged;
        if (v.ArchivedAt is not { } archivedAt)
            return ArchivingErrors.NotArchived;
        if (!string.Equals(confirm?.Trim(), name, StringComparison.Ordinal))
            return ArchivingErrors.ConfirmationMismatch(name);
        var (rule, _) = await ArchiveRuleService.EffectiveAsync(db, found.Value.TeamId, ct);
        var now = clock.GetUtcNow();
        if (archivedAt.AddDays(rule.RetentionDays) > now)
            return ArchivingErrors.RetentionRunning(archivedAt.AddDays(rule.RetentionDays));
        if (await ReferenceAsync(db, v, ct) is { } reference)
            return ArchivingErrors.StillReferenced(reference);

        var files = await db.Artifacts.Where(a => a.VersionId == v.Id).ToListAsync(ct);
        var shas = files.Select(f => f.Sha256).Distinct().ToList();
        // Content another archived version still holds stays (in whichever store it is) until that one goes too.
        var keep = await db.Artifacts.Where(a => shas.Contains(a.Sha256) && a.VersionId != v.Id).Select(a => a.Sha256).Distinct().ToListAsync(ct);
        var gone = shas.Except(keep).ToList();
        db.Artifacts.RemoveRange(files);
        v.PurgedAt = now;
        v.Revision++;
        db.Record(caller.Actor, now, "version.purged", "version", v.Id.ToString(), found.Value.TeamId,
            before: new { Files = files.Select(f => new { f.Path, f.Sha256, f.Size }) }, after: new { Purged = name, BlobsDeleted = gone, Confirmation = confirm!.Trim() });
        await using (var tx = await db.BeginUnitAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await db.Blobs.Where(b => gone.Contains(b.Sha256)).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        foreach (var sha in gone)
        {
            await cold.Store.DeleteAsync(sha, ct);
            await hot.DeleteAsync(sha, ct);
        }
        return new PurgedVersion(found.Value.Asset.Name, v.Version, files.Count, gone.Count, files.Sum(f => f.Size));
    }

    /// <summary>
    /// What still refers to the version or its content, in words; null when nothing does. Versions and checks of other teams are
    /// counted, not named: the refusal must not tell a TeamAdmin what another team keeps privately.
    /// </summary>
    private static async Task<string?> ReferenceAsync(PortalDbContext db, AssetVersion v, CancellationToken ct)
    {
        if (v.LegalHold)
            return "the version is under legal hold";
        var downstream = await db.LineageEdges.AsNoTracking().Where(e => e.UpstreamVersionId == v.Id)
            .Join(db.Versions, e => e.VersionId, d => d.Id, (e, d) => new { d.AssetId, d.Version })
            .Join(db.Assets, d => d.AssetId, a => a.Id, (d, a) => new { a.TeamId, Name = a.Name + " " + d.Version }).ToListAsync(ct);
        if (downstream.Count > 0)
            return $"lineage: version(s) {Named(downstream.Select(d => (d.TeamId, d.Name)), v.TeamId)} came from it";
        var checks = await db.GoldenChecks.AsNoTracking().Where(c => c.DatasetVersionId == v.Id).Select(c => new { c.TeamId, c.Name }).ToListAsync(ct);
        if (checks.Count > 0)
            return $"the golden check(s) {Named(checks.Select(c => (c.TeamId, c.Name)), v.TeamId)} read its data";
        var alias = await db.Aliases.AsNoTracking().Where(a => a.VersionId == v.Id).Select(a => a.Name).FirstOrDefaultAsync(ct);
        if (alias is not null)
            return $"the alias {alias} points at it";
        var shas = db.Artifacts.Where(a => a.VersionId == v.Id).Select(a => a.Sha256);
        var live = await db.Artifacts.AsNoTracking().Where(a => shas.Contains(a.Sha256) && a.VersionId != v.Id
                && db.Versions.Any(o => o.Id == a.VersionId && o.ArchivedAt == null && o.PurgedAt == null))
            .Join(db.Versions, a => a.VersionId, o => o.Id, (a, o) => new { o.AssetId, o.Version, a.Path })
            .Join(db.Assets, o => o.AssetId, s => s.Id, (o, s) => new { s.TeamId, Name = s.Name + " " + o.Version + " (" + o.Path + ")" }).ToListAsync(ct);
        return live.Count > 0 ? $"its content is used by live version(s) {Named(live.Select(l => (l.TeamId, l.Name)), v.TeamId)}" : null;
    }

    /// <summary>The first three of the team's own by name, the others counted.</summary>
    private static string Named(IEnumerable<(Guid TeamId, string Name)> items, Guid team)
    {
        var list = items.ToList();
        var own = list.Where(i => i.TeamId == team).Select(i => i.Name).Order(StringComparer.Ordinal).Take(3).ToList();
        var others = list.Count(i => i.TeamId != team);
        return others == 0 ? string.Join(", ", own)
            : own.Count == 0 ? $"{others} of other teams"
            : $"{string.Join(", ", own)} and {others} of other teams";
    }
}
