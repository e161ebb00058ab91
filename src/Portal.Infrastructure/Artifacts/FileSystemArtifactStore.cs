using Portal.Core.Artifacts;

namespace Portal.Infrastructure.Artifacts;

/// <summary>
/// Blobs under <c>{root}/sha256/ab/abcdef…</c>. An upload streams into <c>{root}/incoming</c> through a
/// SHA-256 and is renamed into place only when complete and verified, so a cut-off upload never shows.
/// </summary>
public sealed class FileSystemArtifactStore(string root, long minFreeBytes = 0) : IArtifactStore
{
    private const int BufferSize = 1 << 20;
    private readonly string _root = Path.GetFullPath(root);
    private readonly string _blobs = Path.Combine(Path.GetFullPath(root), "sha256");
    private readonly string _incoming = Path.Combine(Path.GetFullPath(root), "incoming");

    public async Task<StoredContent?> WriteAsync(Stream content, string? expectedSha256, Func<string, CancellationToken, Task<bool>> canKeepExisting, CancellationToken ct)
    {
        Directory.CreateDirectory(_incoming);
        var temp = Path.Combine(_incoming, $"{Guid.NewGuid():N}.part");
        try
        {
            string sha;
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
                (sha, size) = await HashingCopy.CopyAsync(content, file, ct);
            if (expectedSha256 is not null && !string.Equals(sha, expectedSha256, StringComparison.Ordinal))
                return null;
            var target = PathOf(sha);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // The verified copy always replaces what is there: a rename costs nothing once the bytes are
            // written, and it repairs a damaged file without asking whether it is damaged.
            try
            {
                File.Move(temp, target, overwrite: true);
                return new StoredContent(sha, size, Written: true);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Windows refuses to replace a file that is being read; that copy is kept, unless known to be corrupt.
                if (!await canKeepExisting(sha, ct))
                    throw;
                return new StoredContent(sha, size, Written: false);
            }
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : null;
        return Task.FromResult(stream);
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(sha256)));

    public Task DeleteAsync(string sha256, CancellationToken ct)
    {
        File.Delete(PathOf(sha256));
        return Task.CompletedTask;
    }

    public Task<int> CleanUpAbandonedUploadsAsync(DateTimeOffset cutoff, CancellationToken ct) =>
        Task.FromResult(AbandonedUploadFiles.RemoveOlderThan(_incoming, cutoff));

    public long? WritableBytes()
    {
        Directory.CreateDirectory(_root);
        return Math.Max(0, new DriveInfo(_root).AvailableFreeSpace - minFreeBytes);
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException("Not a SHA-256 digest.", nameof(sha256));
        return Path.Combine(_blobs, sha256[..2], sha256);
    }
}
