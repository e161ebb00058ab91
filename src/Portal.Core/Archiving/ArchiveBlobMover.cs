using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Archiving;

/// <summary>
/// What became of one blob: moved, kept hot because a live version uses it (or a restore is bringing one back), or skipped
/// because its hot copy is damaged.
/// </summary>
public enum BlobMove
{
    Moved,
    KeptShared,
    Damaged,
}

/// <summary>
/// Moves blobs between the hot and the cold store in the one order that never loses a blob to a crash:
/// copy, verify the copy's digest by reading it back, flip the blob's location in the database (audited),
/// and only then delete the source. A crash leaves at worst a second copy, which the next run removes.
/// Each move holds the blob's lease (<see cref="Blob.MovingBy"/>) from the copy to the delete: a restore and an
/// archive run moving the same blob at once would each delete the copy the other just made.
/// </summary>
public sealed class ArchiveBlobMover(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore hot, ColdStore cold, TimeProvider clock,
    IEnumerable<IArchiveRunObserver> observers)
{
    /// <summary>Long enough for a copy and a read-back of the largest blob; a mover that died holding it blocks others this long at most.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromHours(1);

    /// <summary>How long a restore waits for an archive run's move of the same blob to finish before it asks the caller to come back.</summary>
    public static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(10);

    /// <summary>Moves a blob to the cold store unless a live (not archived) version uses it. Safe to call again for the same blob.</summary>
    public async Task<BlobMove> CoolAsync(string sha256, Guid runId, Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mover = $"archive:{runId}";
        // Held by a restore: that restore makes a version live again, which keeps the content hot.
        if (!await TakeLeaseAsync(db, sha256, mover, ct))
            return BlobMove.KeptShared;
        try
        {
            return await CoolHeldAsync(db, sha256, mover, runId, actor, ct);
        }
        finally
        {
            await ReleaseLeaseAsync(db, sha256, mover);
        }
    }

    private async Task<BlobMove> CoolHeldAsync(PortalDbContext db, string sha256, string mover, Guid runId, Actor actor, CancellationToken ct)
    {
        var blob = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == sha256, ct);
        if (blob.Location == BlobLocation.Cold)
        {
            // A re-run after a kill between the flip and the delete: finish the delete.
            await DeleteHotAsync(db, sha256, mover, runId, ct);
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
            // One statement decides, so a live version that took this content since the check keeps it hot, and a lease lost to
            // another mover (this one outlived it) moves nothing.
            var flipped = await db.Blobs.Where(b => b.Sha256 == sha256 && b.Location == BlobLocation.Hot && b.MovingBy == mover
                    && !db.Artifacts.Any(a => a.Sha256 == sha256 && db.Versions.Any(v => v.Id == a.VersionId && v.ArchivedAt == null)))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Location, BlobLocation.Cold), ct);
            // Nothing flipped: a live version took the content, or a second worker on the same run flipped it first.
            if (flipped == 0)
                return await db.Blobs.AnyAsync(b => b.Sha256 == sha256 && b.Location == BlobLocation.Cold, ct) ? BlobMove.Moved : BlobMove.KeptShared;
            db.Record(actor, clock.GetUtcNow(), "blob.archived", "blob", sha256, before: new { Location = BlobLocation.Hot },
                after: new { Location = BlobLocation.Cold, blob.Size, Run = runId });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        Reached(ArchiveSteps.Marked, runId);
        await DeleteHotAsync(db, sha256, mover, runId, ct);
        return BlobMove.Moved;
    }

    /// <summary>
    /// Brings a cold blob back, byte-identical (digest verified), then removes the cold copy. Null when done, else why not. Runs on
    /// the caller's unit of work (its connection), which must have no unsaved changes: the blob's move is saved and committed here.
    /// <paramref name="mover"/> names the restore, so that asking again after a crash takes its own lease back at once.
    /// </summary>
    public async Task<Error?> WarmAsync(PortalDbContext db, string sha256, string mover, Actor actor, Guid? teamId, CancellationToken ct)
    {
        var waiting = Stopwatch.StartNew();
        while (!await TakeLeaseAsync(db, sha256, mover, ct))
        {
            if (waiting.Elapsed >= LeaseWait)
                return ArchivingErrors.BlobMoving;
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
        try
        {
            return await WarmHeldAsync(db, sha256, mover, actor, teamId, ct);
        }
        finally
        {
            await ReleaseLeaseAsync(db, sha256, mover);
        }
    }

    private async Task<Error?> WarmHeldAsync(PortalDbContext db, string sha256, string mover, Actor actor, Guid? teamId, CancellationToken ct)
    {
        var blob = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == sha256, ct);
        if (blob.Location == BlobLocation.Hot)
            return null;
        if (!await CopyVerifiedAsync(cold.Store, hot, sha256, ct))
            return ArchivingErrors.ColdCopyMissing(sha256);
        await using (var tx = await db.BeginUnitAsync(ct))
        {
            var flipped = await db.Blobs.Where(b => b.Sha256 == sha256 && b.Location == BlobLocation.Cold && b.MovingBy == mover)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Location, BlobLocation.Hot), ct);
            if (flipped == 0)
                // An upload of the same content made it hot meanwhile, or this restore outlived its lease: the cold copy is not ours to delete.
                return await db.Blobs.AnyAsync(b => b.Sha256 == sha256 && b.Location == BlobLocation.Hot, ct) ? null : ArchivingErrors.BlobMoving;
            db.Record(actor, clock.GetUtcNow(), "blob.restored", "blob", sha256, teamId, before: new { Location = BlobLocation.Cold },
                after: new { Location = BlobLocation.Hot, blob.Size });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (await TakeLeaseAsync(db, sha256, mover, ct))
            await cold.Store.DeleteAsync(sha256, ct);
        return null;
    }

    /// <summary>A version not archived by an archive run uses this content (a purged version has no files left).</summary>
    internal static Task<bool> UsedByLiveAsync(PortalDbContext db, string sha256, CancellationToken ct) =>
        db.Artifacts.AnyAsync(a => a.Sha256 == sha256 && db.Versions.Any(v => v.Id == a.VersionId && v.ArchivedAt == null), ct);

    /// <summary>Takes or renews the blob's lease: free, expired, or already this mover's (a re-run after a kill). False while another holds it.</summary>
    private async Task<bool> TakeLeaseAsync(PortalDbContext db, string sha256, string mover, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now + Lease;
        return await db.Blobs.Where(b => b.Sha256 == sha256 && (b.MovingBy == null || b.MovingBy == mover || b.MovingUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.MovingBy, mover).SetProperty(b => b.MovingUntil, until), ct) == 1;
    }

    // Not cancellable: a lease left behind would hold other movers off until it expires.
    private static Task ReleaseLeaseAsync(PortalDbContext db, string sha256, string mover) =>
        db.Blobs.Where(b => b.Sha256 == sha256 && b.MovingBy == mover)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.MovingBy, (string?)null).SetProperty(b => b.MovingUntil, (DateTimeOffset?)null), CancellationToken.None);

    private async Task DeleteHotAsync(PortalDbContext db, string sha256, string mover, Guid runId, CancellationToken ct)
    {
        // A mover that outlived its lease leaves the hot copy: whoever holds the blob now decides where it lives.
        if (!await TakeLeaseAsync(db, sha256, mover, ct))
            return;
        await hot.DeleteAsync(sha256, ct);
        Reached(ArchiveSteps.HotDeleted, runId);
        // An upload of the same content may have brought the blob back to Hot while the file was deleted: put it back.
        if (await db.Blobs.AnyAsync(b => b.Sha256 == sha256 && b.Location == BlobLocation.Hot, ct))
            await CopyVerifiedAsync(cold.Store, hot, sha256, ct);
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
