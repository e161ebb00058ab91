using Portal.Core.Common;

namespace Portal.Core.Audit;

/// <summary>
/// One append-only record of a state change or sensitive read. <see cref="Sequence"/> numbers the
/// events 1, 2, 3... without gaps and <see cref="Hash"/> links each to the one before (ADR-010);
/// both are set when the event is saved, by <see cref="Chain.AuditChain"/>.
/// </summary>
public sealed class AuditEvent
{
    public long Sequence { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public ActorKind ActorKind { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public required string Action { get; set; }
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    /// <summary>The team whose data changed, so team reports and team-scoped reads can filter.</summary>
    public Guid? TeamId { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? CorrelationId { get; set; }
    public string? ClientAddress { get; set; }
    /// <summary><c>SHA-256(previous event's hash ‖ canonical bytes)</c>, 32 bytes.</summary>
    public byte[] Hash { get; set; } = [];
}
