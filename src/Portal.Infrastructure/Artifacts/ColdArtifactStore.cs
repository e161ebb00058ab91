using Portal.Core.Archiving;

namespace Portal.Infrastructure.Artifacts;

/// <summary>Configuration section <c>Artifacts:Cold</c>: where archived blobs go, in the same kind of store as the hot blobs.</summary>
public sealed class ColdStoreOptions
{
    public const string Section = "Artifacts:Cold";

    /// <summary>File-system store: the cold folder; empty means <c>{Artifacts:Root}/cold</c>. Point it at cheaper, slower disk.</summary>
    public string? Root { get; set; }
    /// <summary>S3 store: the key prefix of cold blobs, after <c>Artifacts:S3:Prefix</c>.</summary>
    public string S3Prefix { get; set; } = "cold/";
    /// <summary>S3 store: a bucket of its own (e.g. with a colder storage class); empty means the hot bucket.</summary>
    public string? S3Bucket { get; set; }

    public IEnumerable<string> Problems(ArtifactStoreOptions hot)
    {
        var root = Path.GetFullPath(Root is { Length: > 0 } r ? r : Path.Combine(hot.Root, "cold"));
        var hotBlobs = Path.GetFullPath(Path.Combine(hot.Root, "sha256"));
        if (root == Path.GetFullPath(hot.Root) || root.StartsWith(hotBlobs, StringComparison.Ordinal))
            yield return "Artifacts:Cold:Root must be a folder of its own, not the hot store's (Artifacts:Root) nor inside its blobs.";
        if (string.IsNullOrWhiteSpace(S3Prefix) && string.IsNullOrWhiteSpace(S3Bucket))
            yield return "Artifacts:Cold:S3Prefix must not be empty unless Artifacts:Cold:S3Bucket names a bucket of its own.";
    }
}

public static class ColdArtifactStores
{
    /// <summary>The cold store beside the hot one: a separate folder, or another prefix (or bucket) of the same S3 service.</summary>
    public static ColdStore Create(ArtifactStoreOptions hot, ColdStoreOptions cold)
    {
        var root = cold.Root is { Length: > 0 } r ? r : Path.Combine(hot.Root, "cold");
        if (!string.Equals(hot.Store, "S3", StringComparison.OrdinalIgnoreCase))
            return new ColdStore(new FileSystemArtifactStore(root));
        var s3 = hot.S3;
        var bucket = cold.S3Bucket is { Length: > 0 } b ? b : s3.Bucket;
        return new ColdStore(new S3ArtifactStore(ArtifactStores.CreateS3Client(s3), bucket, s3.Prefix + cold.S3Prefix, Path.Combine(Path.GetFullPath(root), "incoming")));
    }
}
