using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Artifacts;

public sealed record StorageCleanupReport(int TemporaryFiles, int Blobs);

/// <summary>
/// Removes what uploads left behind: temporary files of uploads cut off mid-way, and blobs that no
/// artifact points at once a grace period has passed. A blob a version still uses is never removed.
/// </summary>
public sealed class StorageCleanupService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore store, BlobIntegrityService integrity,
    StorageOptions options, TimeProvider clock)
{
    private const int BatchSize = 1000;

    public async Task<StorageCleanupReport> RunAsync(Actor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var temporary = await store.CleanUpAbandonedUploadsAsync(now.AddHours(-options.AbandonedUploadGraceHours), ct);
        var cutoff = now.AddHours(-options.UnreferencedBlobGraceHours);
        List<string> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Blobs that lost their last artifact (an abandoned version's files) start their grace period now.
            await db.Blobs.Where(b => b.UnreferencedSince == null && !db.Artifacts.Any(a => a.Sha256 == b.Sha256))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.UnreferencedSince, now), ct);
            candidates = await db.Blobs.Where(b => b.UnreferencedSince < cutoff && !db.Artifacts.Any(a => a.Sha256 == b.Sha256))
                .OrderBy(b => b.UnreferencedSince).Select(b => b.Sha256).Take(BatchSize).ToListAsync(ct);
        }
        var removed = 0;
        foreach (var sha in candidates)
        {
            if (await RemoveAsync(sha, cutoff, actor, ct))
                removed++;
        }
        return new StorageCleanupReport(temporary, removed);
    }

    private async Task<bool> RemoveAsync(string sha256, DateTimeOffset cutoff, Actor actor, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.BeginUnitAsync(ct);
            var blob = await db.Blobs.AsNoTracking().SingleOrDefaultAsync(b => b.Sha256 == sha256, ct);
            // One statement decides, so an artifact recorded since the candidates were listed keeps its blob.
            var deleted = await db.Blobs
                .Where(b => b.Sha256 == sha256 && b.UnreferencedSince < cutoff && !db.Artifacts.Any(a => a.Sha256 == sha256))
                .ExecuteDeleteAsync(ct);
            if (deleted == 0 || blob is null)
                return false;
            db.Record(actor, clock.GetUtcNow(), "blob.removed", "blob", sha256, before: new { blob.Size, blob.Status, blob.UnreferencedSince });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await store.DeleteAsync(sha256, ct);
        // An upload of the same content may have recorded it again while the file was being deleted: that row
        // must not pass for healthy. (The upload checks for the file after recording too; one of the two sees it.)
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Blobs.AnyAsync(b => b.Sha256 == sha256, ct))
                await integrity.MarkCorruptAsync(sha256, actor, "removed as unused while uploaded again", ct);
        }
        return true;
    }
}
