using Portal.Core.Common;

namespace Portal.Core.Audit;

/// <summary>Signs the chain head when the log has grown. Safe to run twice.</summary>
public sealed class SignAuditCheckpointJob(AuditTrailService trail)
{
    public const string Id = "sign-audit-checkpoint";

    public Task RunAsync(CancellationToken ct) => trail.SignCheckpointAsync(ct);
}

/// <summary>Verifies the whole chain against the checkpoints; a failure is recorded and raises the banner.</summary>
public sealed class VerifyAuditChainJob(AuditTrailService trail)
{
    public const string Id = "verify-audit-chain";

    public Task RunAsync(CancellationToken ct) => trail.VerifyScheduledAsync(Actor.Job(Id), ct);
}
