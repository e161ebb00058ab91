namespace Portal.Core.Common;

/// <summary>A create request already answered: a retry with the same Idempotency-Key gets the same resource.</summary>
public sealed class IdempotencyRecord
{
    public required string Key { get; set; }
    /// <summary>Who sent it: keys of different callers never collide.</summary>
    public required string CallerId { get; set; }
    public required string Operation { get; set; }
    public required string RequestHash { get; set; }
    public Guid ResourceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
