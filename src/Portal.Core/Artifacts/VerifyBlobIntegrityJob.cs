using Portal.Core.Common;

namespace Portal.Core.Artifacts;

/// <summary>
/// Re-hashes stored blobs, oldest check first, and flags any whose content no longer matches its
/// digest (or is gone), so a corrupt file is never served silently, even one nobody downloads.
/// Safe to run twice: each run re-checks the blobs checked longest ago.
/// </summary>
public sealed class VerifyBlobIntegrityJob(BlobIntegrityService integrity)
{
    public const string Id = "verify-blob-integrity";

    public Task<int> RunAsync(int batchSize, CancellationToken ct) => integrity.VerifyOldestAsync(Actor.Job(Id), batchSize, ct);
}
