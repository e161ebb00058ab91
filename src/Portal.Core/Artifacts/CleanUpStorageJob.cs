using Portal.Core.Common;

namespace Portal.Core.Artifacts;

/// <summary>Hourly: removes temporary files of abandoned uploads and blobs unused past their grace period. Safe to run twice.</summary>
public sealed class CleanUpStorageJob(StorageCleanupService cleanup)
{
    public const string Id = "clean-up-storage";

    public Task<StorageCleanupReport> RunAsync(CancellationToken ct) => cleanup.RunAsync(Actor.Job(Id), ct);
}
