namespace Portal.Core.Artifacts;

/// <summary>What a write left under its digest: <paramref name="Written"/> is false when an existing copy was kept instead.</summary>
public sealed record StoredContent(string Sha256, long Size, bool Written);

/// <summary>
/// Content-addressed blob storage (local file system or S3-compatible). Writes stream through a
/// hash; nothing is visible under its digest until the whole content is stored and verified.
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// Stores the stream; returns null when <paramref name="expectedSha256"/> is given and differs (nothing is kept).
    /// When content with the same digest is already stored, the store may keep that copy instead of writing
    /// only if <paramref name="canKeepExisting"/> says so: a copy known to be corrupt must be replaced.
    /// </summary>
    Task<StoredContent?> WriteAsync(Stream content, string? expectedSha256, Func<string, CancellationToken, Task<bool>> canKeepExisting, CancellationToken ct);

    /// <summary>A seekable read stream, so downloads can serve ranges.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct);

    Task DeleteAsync(string sha256, CancellationToken ct);

    /// <summary>Removes temporary files and unfinished multipart uploads started before <paramref name="cutoff"/>.</summary>
    Task<int> CleanUpAbandonedUploadsAsync(DateTimeOffset cutoff, CancellationToken ct);

    /// <summary>Bytes that can still be written before the store's free-space floor; null when the store sets no such limit.</summary>
    long? WritableBytes();
}
