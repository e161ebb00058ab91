using Portal.Core.Access;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Artifacts;

/// <summary>A corrupt blob as PlatformAdmins see it, with the files that use it (so they know whom to ask for a re-upload).</summary>
public sealed record CorruptBlobAlert(string Sha256, long Size, DateTimeOffset? CorruptSince, IReadOnlyList<string> UsedBy);

/// <summary>
/// The state of stored content: recorded when stored, marked corrupt when a download or the scan finds it
/// damaged, repaired when the right content arrives again. Each change is audited with the change.
/// </summary>
public sealed class BlobIntegrityService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore store, TimeProvider clock)
{
    /// <summary>Whether an existing stored copy may stand in for new content: only a copy not known to be corrupt.</summary>
    public async Task<bool> CanKeepStoredCopyAsync(string sha256, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Blobs.AnyAsync(b => b.Sha256 == sha256 && b.Status == BlobStatus.Ok, ct);
    }

    /// <summary>
    /// Records content the store now holds, before any artifact points at it (so the clean-up job can tell an
    /// upload that never finished). Freshly written content repairs a corrupt blob. Concurrent uploads of the
    /// same content race for one row: the loser sees the winner's row on its retry.
    /// </summary>
    internal async Task<Error?> RecordStoredAsync(StoredContent stored, Actor actor, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var blob = await db.Blobs.SingleOrDefaultAsync(b => b.Sha256 == stored.Sha256, ct);
            if (blob is null)
            {
                db.Blobs.Add(new Blob { Sha256 = stored.Sha256, Size = stored.Size, CreatedAt = now, LastVerifiedAt = now, UnreferencedSince = now });
                db.Record(actor, now, "blob.stored", "blob", stored.Sha256, after: new { stored.Size });
            }
            else
            {
                if (stored.Written)
                    blob.LastVerifiedAt = now;
                if (stored.Written && blob.Status == BlobStatus.Corrupt)
                {
                    db.Record(actor, now, "blob.repaired", "blob", blob.Sha256, before: new { blob.Status, blob.CorruptSince }, after: new { Status = BlobStatus.Ok });
                    (blob.Status, blob.CorruptSince) = (BlobStatus.Ok, null);
                }
                // Content uploaded again while archived is in the hot store now: it serves downloads again.
                if (stored.Written && blob.Location == BlobLocation.Cold)
                {
                    db.Record(actor, now, "blob.restored", "blob", blob.Sha256, before: new { blob.Location }, after: new { Location = BlobLocation.Hot, By = "upload" });
                    blob.Location = BlobLocation.Hot;
                }
                // Restarts the grace period of a blob that nothing used yet: this upload is about to use it.
                if (blob.UnreferencedSince is not null)
                    blob.UnreferencedSince = now;
            }
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another upload of the same content inserted the row first: read it and go again.
            }
        }
        // The clean-up job may have removed the content as unused between the write and the row above.
        return await store.ExistsAsync(stored.Sha256, ct) ? null : RegistryErrors.StorageRace;
    }

    /// <summary>Marks a blob corrupt once (idempotent), audited; PlatformAdmins see it in <see cref="ListCorruptAsync"/>.</summary>
    public async Task MarkCorruptAsync(string sha256, Actor actor, string detectedBy, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await MarkCorruptAsync(db, sha256, actor, detectedBy, ct);
    }

    /// <summary>The same on the caller's unit of work (its connection), which must have no unsaved changes.</summary>
    internal async Task MarkCorruptAsync(PortalDbContext db, string sha256, Actor actor, string detectedBy, CancellationToken ct)
    {
        var blob = await db.Blobs.SingleOrDefaultAsync(b => b.Sha256 == sha256, ct);
        if (blob is null || blob.Status == BlobStatus.Corrupt)
            return;
        var now = clock.GetUtcNow();
        (blob.Status, blob.CorruptSince) = (BlobStatus.Corrupt, now);
        db.Record(actor, now, "blob.corrupt", "blob", sha256, before: new { Status = BlobStatus.Ok }, after: new { blob.Status, blob.Size, DetectedBy = detectedBy });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A bookkeeping time stamp, not a change of state: not audited, like the scan's own checks.</summary>
    public async Task MarkVerifiedAsync(string sha256, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        await db.Blobs.Where(b => b.Sha256 == sha256 && b.Status == BlobStatus.Ok).ExecuteUpdateAsync(s => s.SetProperty(b => b.LastVerifiedAt, now), ct);
    }

    /// <summary>Corrupt blobs for the PlatformAdmins' "Waiting for me" panel; nobody else is alerted.</summary>
    public async Task<IReadOnlyList<CorruptBlobAlert>> ListCorruptAsync(CallerAccess caller, CancellationToken ct = default)
    {
        if (!caller.Allows(PortalAction.ReviewIntegrityAlerts))
            return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var blobs = await db.Blobs.AsNoTracking().Where(b => b.Status == BlobStatus.Corrupt)
            .OrderBy(b => b.CorruptSince).Take(50).ToListAsync(ct);
        var shas = blobs.Select(b => b.Sha256).ToList();
        var uses = await (
            from a in db.Artifacts
            join v in db.Versions on a.VersionId equals v.Id
            join s in db.Assets on v.AssetId equals s.Id
            join t in db.Teams on s.TeamId equals t.Id
            where shas.Contains(a.Sha256)
            select new { a.Sha256, Use = t.Slug + "/" + s.Name + "/" + v.Version + "/" + a.Path }).AsNoTracking().ToListAsync(ct);
        return blobs.Select(b => new CorruptBlobAlert(b.Sha256, b.Size, b.CorruptSince,
            uses.Where(u => u.Sha256 == b.Sha256).Select(u => u.Use).Order().Take(5).ToList())).ToList();
    }

    /// <summary>Re-hashes the blobs checked longest ago; returns how many were found corrupt.</summary>
    public async Task<int> VerifyOldestAsync(Actor actor, int batchSize, CancellationToken ct)
    {
        List<string> shas;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Cold blobs are not in the hot store: their digest was verified when they moved.
            shas = await db.Blobs.Where(b => b.Status == BlobStatus.Ok && b.Location == BlobLocation.Hot)
                .OrderBy(b => b.LastVerifiedAt.HasValue).ThenBy(b => b.LastVerifiedAt)
                .Take(Math.Clamp(batchSize, 1, 10_000)).Select(b => b.Sha256)
                .ToListAsync(ct);
        }
        var corrupt = 0;
        foreach (var sha in shas)
        {
            if (await HashAsync(sha, ct) == sha)
            {
                await MarkVerifiedAsync(sha, ct);
                continue;
            }
            await MarkCorruptAsync(sha, actor, "integrity scan", ct);
            corrupt++;
        }
        return corrupt;
    }

    private async Task<string?> HashAsync(string sha256, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(sha256, ct);
        return stream is null ? null : Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
