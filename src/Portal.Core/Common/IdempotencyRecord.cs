namespace Portal.Core.Common;

/// <summary>
/// A create request already answered: a retry with the same Idempotency-Key gets the same resource.
/// Keys belong to one principal in one team (Stripe's model): the same key from another token or
/// person, or from the same person in another team, is a different request.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Key { get; set; }
    /// <summary>Who sent it, as kind and id (<c>User:…</c>, <c>ServicePrincipal:…</c>): keys of different callers never collide.</summary>
    public required string CallerId { get; set; }
    /// <summary>The team the request was made in.</summary>
    public Guid TeamId { get; set; }
    public required string Operation { get; set; }
    public required string RequestHash { get; set; }
    public Guid ResourceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
