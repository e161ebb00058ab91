using Portal.Core.Data;

namespace Portal.Core.Policies;

/// <summary>Selects the policies for a version and target and evaluates them, inside the caller's unit of work.</summary>
public interface IPolicyEvaluator
{
    Task<PolicyEvaluation> EvaluateAsync(PortalDbContext db, VersionHead head, string target, IReadOnlyList<ApprovalFact> approvals, CancellationToken ct);
}
