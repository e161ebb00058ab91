namespace Portal.Core.Artifacts;

/// <summary>Where a blob's bytes live: the hot store serves downloads, the cold store keeps archived content.</summary>
public enum BlobLocation
{
    Hot = 0,
    Cold = 1,
}

/// <summary>The archiving column of a blob, kept apart from the store's own.</summary>
public sealed partial class Blob
{
    /// <summary>
    /// Flipped to Cold only after the cold copy was written and its digest verified, and back to Hot only after
    /// the hot copy was: whatever the column says, that copy exists.
    /// </summary>
    public BlobLocation Location { get; set; } = BlobLocation.Hot;
}
