using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Artifacts;

/// <summary>
/// Re-hashes stored blobs, oldest check first, and flags any whose content no longer matches its
/// digest (or is gone), so a corrupt file is never served silently. Also clears uploads that were
/// cut off mid-way. Safe to run twice: each run re-checks the blobs checked longest ago.
/// </summary>
public sealed class VerifyBlobIntegrityJob(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore store, TimeProvider clock)
{
    public const string Id = "verify-blob-integrity";

    public async Task<int> RunAsync(int batchSize, CancellationToken ct)
    {
        await store.CleanUpAbandonedUploadsAsync(TimeSpan.FromHours(6), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var blobs = await db.Blobs.Where(b => b.Status == BlobStatus.Ok)
            .OrderBy(b => b.LastVerifiedAt.HasValue).ThenBy(b => b.LastVerifiedAt)
            .Take(Math.Clamp(batchSize, 1, 10_000))
            .ToListAsync(ct);
        var actor = Actor.Job(Id);
        var corrupt = 0;
        foreach (var blob in blobs)
        {
            var now = clock.GetUtcNow();
            blob.LastVerifiedAt = now;
            if (await HashAsync(blob.Sha256, ct) == blob.Sha256)
                continue;
            blob.Status = BlobStatus.Corrupt;
            corrupt++;
            db.Record(actor, now, "blob.corrupt", "blob", blob.Sha256, after: new { blob.Size, Status = BlobStatus.Corrupt });
        }
        await db.SaveChangesAsync(ct);
        return corrupt;
    }

    private async Task<string?> HashAsync(string sha256, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(sha256, ct);
        return stream is null ? null : Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
