using Portal.Core.Artifacts;

namespace Portal.Infrastructure.Artifacts;

/// <summary>Configuration section <c>Artifacts</c>.</summary>
public sealed class ArtifactStoreOptions
{
    public const string Section = "Artifacts";

    /// <summary>FileSystem (default) or S3.</summary>
    public string Store { get; set; } = "FileSystem";
    public string Root { get; set; } = "data/artifacts";
    public S3StoreOptions S3 { get; set; } = new();
}

/// <summary>Configuration section <c>Artifacts:S3</c>: any S3-compatible service (AWS, MinIO, Ceph...).</summary>
public sealed class S3StoreOptions
{
    /// <summary>Endpoint of a non-AWS service, e.g. https://minio.example.com; empty for AWS (then Region applies).</summary>
    public string? ServiceUrl { get; set; }
    public string? Region { get; set; }
    public string Bucket { get; set; } = "";
    /// <summary>Key prefix inside the bucket, e.g. "portal/".</summary>
    public string Prefix { get; set; } = "";
    /// <summary>Leave empty to use the machine's AWS credential chain (instance role, environment).</summary>
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public bool ForcePathStyle { get; set; } = true;
}

public static class ArtifactStores
{
    public static IArtifactStore Create(ArtifactStoreOptions options)
    {
        if (!string.Equals(options.Store, "S3", StringComparison.OrdinalIgnoreCase))
            return new FileSystemArtifactStore(options.Root);
        var s3 = options.S3;
        var config = new Amazon.S3.AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            // Checksums only where S3 demands them: S3-compatible services differ in what they accept.
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(s3.ServiceUrl))
            config.ServiceURL = s3.ServiceUrl;
        else
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region ?? "us-east-1");
        var client = string.IsNullOrEmpty(s3.AccessKey)
            ? new Amazon.S3.AmazonS3Client(config)
            : new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config);
        return new S3ArtifactStore(client, s3.Bucket, s3.Prefix);
    }
}

/// <summary>
/// Blobs under <c>{root}/sha256/ab/abcdef…</c>. An upload streams into <c>{root}/incoming</c> through a
/// SHA-256 and is renamed into place only when complete and verified, so a cut-off upload never shows.
/// </summary>
public sealed class FileSystemArtifactStore(string root) : IArtifactStore
{
    private const int BufferSize = 1 << 20;
    private readonly string _blobs = Path.Combine(Path.GetFullPath(root), "sha256");
    private readonly string _incoming = Path.Combine(Path.GetFullPath(root), "incoming");

    public async Task<StoredContent?> WriteAsync(Stream content, string? expectedSha256, CancellationToken ct)
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
            if (File.Exists(target))
                return new StoredContent(sha, size);
            try
            {
                File.Move(temp, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                // The same content arrived concurrently: one copy is enough.
            }
            return new StoredContent(sha, size);
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

    public Task<int> CleanUpAbandonedUploadsAsync(TimeSpan olderThan, CancellationToken ct)
    {
        if (!Directory.Exists(_incoming))
            return Task.FromResult(0);
        var cutoff = DateTime.UtcNow - olderThan;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_incoming, "*.part"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                File.Delete(file);
                removed++;
            }
        }
        return Task.FromResult(removed);
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException("Not a SHA-256 digest.", nameof(sha256));
        return Path.Combine(_blobs, sha256[..2], sha256);
    }
}
