using Portal.Core.Artifacts;

namespace Portal.Infrastructure.Artifacts;

/// <summary>Configuration section <c>Artifacts</c>.</summary>
public sealed class ArtifactStoreOptions
{
    public const string Section = "Artifacts";

    /// <summary>FileSystem (default) or S3.</summary>
    public string Store { get; set; } = "FileSystem";
    /// <summary>The blob folder of the file-system store; with S3, the local folder that spools uploads sent without a digest.</summary>
    public string Root { get; set; } = "data/artifacts";
    /// <summary>File-system store: uploads are refused (storage.disk-full) rather than take free space below this many bytes.</summary>
    public long MinFreeDiskBytes { get; set; } = 1L << 30;
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
            return new FileSystemArtifactStore(options.Root, options.MinFreeDiskBytes);
        var client = CreateS3Client(options.S3);
        var s3 = options.S3;
        // The same incoming folder as the file-system store's, so one clean-up rule covers both.
        return new S3ArtifactStore(client, s3.Bucket, s3.Prefix, Path.Combine(Path.GetFullPath(options.Root), "incoming"));
    }

    /// <summary>The one S3 client set-up, shared by the artifact store and the audit checkpoint store.</summary>
    public static Amazon.S3.IAmazonS3 CreateS3Client(S3StoreOptions s3)
    {
        var config = new Amazon.S3.AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            // Checksums only where S3 demands them: S3-compatible services differ in what they accept.
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
            // The SDK copies a request body through stream wrappers whose ReadAsync allocates a Task per call: at the
            // default 8 KiB that was 9 MiB of garbage per GiB uploaded; 1 MiB reads make it a few KiB (pooled buffer).
            BufferSize = 1 << 20,
        };
        if (!string.IsNullOrWhiteSpace(s3.ServiceUrl))
            config.ServiceURL = s3.ServiceUrl;
        else
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region ?? "us-east-1");
        return string.IsNullOrEmpty(s3.AccessKey)
            ? new Amazon.S3.AmazonS3Client(config)
            : new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config);
    }
}
