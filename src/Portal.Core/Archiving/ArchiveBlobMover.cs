using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Archiving;

/// <summary>
/// What became of one blob: moved, kept hot because a live version uses it, left for the next run because another mover (a restore)
/// holds it, or skipped because its hot copy is damaged.
/// </summary>
public enum BlobMove
{
    Moved,
    KeptShared,
    Busy,
    Damaged,
}

/// <summary>
/// Moves blobs between the hot and the cold store in the one order that never loses a blob to a crash:
/// copy, verify the copy's digest by reading it back, flip the blob's location in the database (audited),
/// and only then delete the source. A crash leaves at worst a second copy, which the next run removes.
/// Each move holds the blob's lease (<see cref="BlobLeases"/>) from the copy to the delete.
/// </summary>
public sealed class ArchiveBlobMover(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore hot, ColdStore cold, TimeProvider clock,
    IEnumerable<IArchiveRunObserver> observers)
{
    /// <summary>Moves a blob to the cold store unless a live (not archived) version uses it. Safe to call again for the same blob.</summary>
    public async Task<BlobMove> CoolAsync(string sha256, Guid runId, Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BlobLeases.TryTakeAsync(db, sha256, $"archive:{runId}", clock.GetUtcNow(), ct) is not { } lease)
            return BlobMove.Busy;
        try
        {
            return await CoolHeldAsync(db, lease, runId, actor, ct);
        }
        finally
        {
            await BlobLeases.ReleaseAsync(db, [lease]);
        }
    }

    private async Task<BlobMove> CoolHeldAsync(PortalDbContext db, BlobLease lease, Guid runId, Actor actor, CancellationToken ct)
    {
        var sha256 = lease.Sha256;
        var blob = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == sha256, ct);
        if (blob.Location == BlobLocation.Cold)
        {
            // A re-run after a kill between the flip and the delete: finish the delete.
            await DeleteHotAsync(db, lease, runId, ct);
            return BlobMove.Moved;
        }
        if (await UsedByLiveAsync(db, sha256, ct))
            return BlobMove.KeptShared;
        if (!await CopyVerifiedAsync(hot, cold.Store, sha256, ct))
            return BlobMove.Damaged;
        Reached(ArchiveSteps.Copied, runId);
        Reached(ArchiveSteps.Verified, runId);
        await using (var tx = await db.BeginUnitAsync(ct))
        {
            // The event first: where its save takes the audit chain's lock (SQLite, SQL Server), every audited writer takes it before its
            // rows (an upload of the same content updates this blob's row after it); PostgreSQL takes it at commit, after every row.
            // Rolled back with the flip when nothing flips.
            db.Record(actor, clock.GetUtcNow(), "blob.archived", "blob", sha256, before: new { Location = BlobLocation.Hot },
                after: new { Location = BlobLocation.Cold, blob.Size, Run = runId });
            await db.SaveChangesAsync(ct);
            // One statement decides, so a live version that took this content since the check keeps it hot, and a take another
            // mover took over moves nothing.
            var flipped = await db.Blobs.Where(b => b.Sha256 == sha256 && b.Location == BlobLocation.Hot && b.MovingBy == lease.Holder
                    && !db.Artifacts.Any(a => a.Sha256 == sha256 && db.Versions.Any(v => v.Id == a.VersionId && v.ArchivedAt == null)))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Location, BlobLocation.Cold), ct);
            if (flipped == 0)
            {
                var now = await db.Blobs.AsNoTracking().Where(b => b.Sha256 == sha256).Select(b => new { b.Location, b.MovingBy }).SingleAsync(ct);
                return now.Location == BlobLocation.Cold ? BlobMove.Moved : now.MovingBy == lease.Holder ? BlobMove.KeptShared : BlobMove.Busy;
            }
            await tx.CommitAsync(ct);
        }
        Reached(ArchiveSteps.Marked, runId);
        await DeleteHotAsync(db, lease, runId, ct);
        return BlobMove.Moved;
    }

    /// <summary>
    /// Brings a cold blob back under the caller's lease, byte-identical (digest verified), then removes the cold copy: true when it
    /// moved, false when it was hot already. Runs on the caller's unit of work (its connection), which must have no unsaved changes:
    /// the blob's move is saved and committed here.
    /// </summary>
    public async Task<Result<bool>> WarmAsync(PortalDbContext db, BlobLease lease, Actor actor, Guid? teamId, CancellationToken ct)
    {
        var sha256 = lease.Sha256;
        var blob = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == sha256, ct);
        if (blob.Location == BlobLocation.Hot)
            return false;
        if (!await CopyVerifiedAsync(cold.Store, hot, sha256, ct))
            return ArchivingErrors.ColdCopyMissing(sha256);
        await using (var tx = await db.BeginUnitAsync(ct))
        {
            db.Record(actor, clock.GetUtcNow(), "blob.restored", "blob", sha256, teamId, before: new { Location = BlobLocation.Cold },
                after: new { Location = BlobLocation.Hot, blob.Size });
            await db.SaveChangesAsync(ct);
            var flipped = await db.Blobs.Where(b => b.Sha256 == sha256 && b.Location == BlobLocation.Cold && b.MovingBy == lease.Holder)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Location, BlobLocation.Hot), ct);
            if (flipped == 0)
                // An upload of the same content made it hot meanwhile, or another took this lease over: the cold copy is not ours to delete.
                return await db.Blobs.AnyAsync(b => b.Sha256 == sha256 && b.Location == BlobLocation.Hot, ct) ? false : ArchivingErrors.BlobMoving;
            await tx.CommitAsync(ct);
        }
        if (await BlobLeases.RenewAsync(db, lease, clock.GetUtcNow(), ct))
            await cold.Store.DeleteAsync(sha256, ct);
        return true;
    }

    /// <summary>A version not archived by an archive run uses this content (a purged version has no files left).</summary>
    internal static Task<bool> UsedByLiveAsync(PortalDbContext db, string sha256, CancellationToken ct) =>
        db.Artifacts.AnyAsync(a => a.Sha256 == sha256 && db.Versions.Any(v => v.Id == a.VersionId && v.ArchivedAt == null), ct);

    private async Task DeleteHotAsync(PortalDbContext db, BlobLease lease, Guid runId, CancellationToken ct)
    {
        // A take another mover took over leaves the hot copy: whoever holds the blob now decides where it lives.
        if (!await BlobLeases.RenewAsync(db, lease, clock.GetUtcNow(), ct))
            return;
        await hot.DeleteAsync(lease.Sha256, ct);
        Reached(ArchiveSteps.HotDeleted, runId);
        // An upload of the same content may have brought the blob back to Hot while the file was deleted: put it back.
        if (await db.Blobs.AnyAsync(b => b.Sha256 == lease.Sha256 && b.Location == BlobLocation.Hot, ct))
            await CopyVerifiedAsync(cold.Store, hot, lease.Sha256, ct);
    }

    /// <summary>Copies through a digest check and then reads the copy back and hashes it: only a copy proven whole counts.</summary>
    private static async Task<bool> CopyVerifiedAsync(IArtifactStore from, IArtifactStore to, string sha256, CancellationToken ct)
    {
        await using (var source = await from.OpenReadAsync(sha256, ct))
        {
            if (source is null || await to.WriteAsync(source, sha256, (_, _) => Task.FromResult(false), ct) is null)
                return false;
        }
        await using var copy = await to.OpenReadAsync(sha256, ct);
        return copy is not null && Convert.ToHexStringLower(await SHA256.HashDataAsync(copy, ct)) == sha256;
    }

    private void Reached(string step, Guid runId)
    {
        foreach (var observer in observers)
            observer.Reached(step, runId);
    }
}
