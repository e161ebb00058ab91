namespace Portal.Core.Security;

/// <summary>Keeps the security-event store within its configured size; safe to run twice.</summary>
public sealed class TrimSecurityEventsJob(SecurityEventLog log)
{
    public const string Id = "trim-security-events";

    public Task<int> RunAsync(CancellationToken ct) => log.TrimAsync(ct);
}
