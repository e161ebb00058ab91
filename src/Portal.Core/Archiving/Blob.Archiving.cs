namespace Portal.Core.Artifacts;

/// <summary>Where a blob's bytes live: the hot store serves downloads, the cold store keeps archived content.</summary>
public enum BlobLocation
{
    Hot = 0,
    Cold = 1,
}

/// <summary>The archiving columns of a blob, kept apart from the store's own.</summary>
public sealed partial class Blob
{
    public const int MaxMoverLength = 80;

    /// <summary>
    /// Flipped to Cold only after the cold copy was written and its digest verified, and back to Hot only after
    /// the hot copy was: whatever the column says, that copy exists.
    /// </summary>
    public BlobLocation Location { get; set; } = BlobLocation.Hot;

    /// <summary>
    /// Who is moving the blob between the stores (an archive run, a restore), until <see cref="MovingUntil"/>. Each mover deletes
    /// the copy it moved away from: two at once (a restore beside an archive run) could delete both copies, so one waits.
    /// </summary>
    public string? MovingBy { get; set; }

    public DateTimeOffset? MovingUntil { get; set; }
}
