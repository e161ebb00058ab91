namespace Portal.Core.Artifacts;

/// <summary>A file of a version: a path inside the version pointing at a content-addressed blob.</summary>
public sealed class Artifact
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid VersionId { get; set; }
    public required string Path { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>Serialized code (pickle and the like): stored, flagged, never deserialized by the server.</summary>
    public bool IsUnsafeFormat { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

public enum BlobStatus
{
    Ok = 1,
    /// <summary>A download or the integrity scan found content that no longer matches its digest: never served until re-uploaded.</summary>
    Corrupt = 2,
}

/// <summary>Stored content, once per SHA-256 whatever the number of artifacts that point at it.</summary>
public sealed partial class Blob
{
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public BlobStatus Status { get; set; } = BlobStatus.Ok;
    /// <summary>When the whole content was last hashed and matched (at upload, by a full download or by the scan); ranges rely on it.</summary>
    public DateTimeOffset? LastVerifiedAt { get; set; }
    public DateTimeOffset? CorruptSince { get; set; }
    /// <summary>
    /// Since when no artifact points at this blob; the clean-up job removes it a grace period later.
    /// Set when the content is stored (before its artifact row exists), cleared when an artifact refers to it.
    /// </summary>
    public DateTimeOffset? UnreferencedSince { get; set; }
}
