using Portal.Core.Artifacts;

namespace Portal.Core.Archiving;

/// <summary>
/// The store archived blobs move to: a separate directory by default, an S3 prefix or bucket by configuration.
/// A type of its own so that nothing reads the hot store's blobs from it by mistake.
/// </summary>
public sealed class ColdStore(IArtifactStore store)
{
    public IArtifactStore Store => store;
}

/// <summary>Puts an archive run on a queue (Hangfire in the portal): <c>Enqueue</c> after the run's row is saved.</summary>
public interface IArchiveRunQueue
{
    void Enqueue(Guid runId);
}

/// <summary>Hears each step of an archive run as it is reached; tests throw from it to kill a run at that step.</summary>
public interface IArchiveRunObserver
{
    void Reached(string step, Guid runId);
}

/// <summary>The steps an archive run passes, in order, for each blob after the versions.</summary>
public static class ArchiveSteps
{
    public const string Claimed = "claimed";
    public const string VersionsArchived = "versions-archived";
    public const string Copied = "blob-copied";
    public const string Verified = "blob-verified";
    public const string Marked = "blob-marked";
    public const string HotDeleted = "hot-deleted";
    public const string Finished = "finished";

    public static readonly IReadOnlyList<string> All = [Claimed, VersionsArchived, Copied, Verified, Marked, HotDeleted, Finished];
}
