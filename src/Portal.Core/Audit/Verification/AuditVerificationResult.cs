namespace Portal.Core.Audit.Verification;

/// <summary>
/// The outcome of checking the chain and the checkpoints. When <see cref="IsValid"/> is false,
/// <see cref="FirstBadSequence"/> names the first event that cannot be trusted and <see cref="Message"/> says why.
/// </summary>
public sealed record AuditVerificationResult(
    bool IsValid,
    long EventsChecked,
    int CheckpointsChecked,
    long? FirstBadSequence,
    string Message,
    DateTimeOffset CheckedAt)
{
    public static AuditVerificationResult Valid(long events, int checkpoints, DateTimeOffset at) =>
        new(true, events, checkpoints, null,
            $"The chain of {events:N0} events is intact and matches {checkpoints} signed checkpoint{(checkpoints == 1 ? "" : "s")}.", at);

    public static AuditVerificationResult Invalid(long events, int checkpoints, long firstBad, string message, DateTimeOffset at) =>
        new(false, events, checkpoints, firstBad, message, at);
}
