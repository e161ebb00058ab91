namespace Portal.Core.Artifacts;

public sealed record StoredContent(string Sha256, long Size);

/// <summary>
/// Content-addressed blob storage (local file system or S3-compatible). Writes stream through a
/// hash; nothing is visible under its digest until the whole content is stored and verified.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores the stream; returns null when <paramref name="expectedSha256"/> is given and differs (nothing is kept).</summary>
    Task<StoredContent?> WriteAsync(Stream content, string? expectedSha256, CancellationToken ct);

    /// <summary>A seekable read stream, so downloads can serve ranges.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct);

    /// <summary>Removes temporary files of uploads that never finished.</summary>
    Task<int> CleanUpAbandonedUploadsAsync(TimeSpan olderThan, CancellationToken ct);
}
