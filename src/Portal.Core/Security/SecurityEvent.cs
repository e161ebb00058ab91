using Portal.Core.Common;

namespace Portal.Core.Security;

/// <summary>
/// A refused attempt: a denied state change or a refused sign-in. Unlike the audit trail, these rows
/// are bounded (rate-capped per actor and address, trimmed to a maximum) so a flood cannot fill the store.
/// </summary>
public sealed class SecurityEvent
{
    public const int MaxActionLength = 100;
    public const int MaxResourceLength = 300;
    public const int MaxReasonLength = 500;

    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public ActorKind ActorKind { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public string? ClientAddress { get; set; }
    public required string Action { get; set; }
    public required string Resource { get; set; }
    public required string Reason { get; set; }
    public string? CorrelationId { get; set; }
}
