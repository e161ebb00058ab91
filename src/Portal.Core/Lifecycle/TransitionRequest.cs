using Portal.Core.Common;

namespace Portal.Core.Lifecycle;

public enum TransitionState
{
    Pending = 1,
    Applied = 2,
    Rejected = 3,
    Cancelled = 4,
    Expired = 5,
}

/// <summary>
/// Someone asks to move a version to a stage or a protected alias. The policy results of the ask and
/// of the apply stay on it, with every approval and rejection and its comment: the reasons are kept.
/// </summary>
public sealed class TransitionRequest
{
    /// <summary>The request number people quote ("request 42").</summary>
    public long Id { get; set; }
    public Guid TeamId { get; set; }
    public Guid AssetId { get; set; }
    public Guid VersionId { get; set; }
    /// <summary><c>Staging</c>, <c>Production</c>, <c>Archived</c> or <c>alias:{name}</c>.</summary>
    public required string Target { get; set; }
    public string Justification { get; set; } = "";
    public TransitionState State { get; set; } = TransitionState.Pending;
    public required string RequestedBy { get; set; }
    public required string RequestedByActorId { get; set; }
    /// <summary>The person behind the request: the user, or the user who created the token that made it.</summary>
    public required string RequestedByPersonKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    /// <summary>Why it closed without an approver's comment: policy failed at apply, expired, rolled back.</summary>
    public string? CloseReason { get; set; }
    /// <summary>The rule results when the request was made, as JSON.</summary>
    public string EvaluationJson { get; set; } = "[]";
    /// <summary>The rule results at the last decision (or at the apply), as JSON.</summary>
    public string? ApplyEvaluationJson { get; set; }
    public string RequiredApprovalsJson { get; set; } = "[]";
    /// <summary>Teams besides the asset's whose approvers the policy names, so they find the request in their queue.</summary>
    public List<string> ApprovingTeams { get; set; } = [];
    /// <summary>A review left by a rollback: approving it confirms the rollback, nothing moves.</summary>
    public bool IsRollbackReview { get; set; }
    public int Revision { get; set; } = 1;

    public bool IsAlias => Target.StartsWith(AliasPrefix, StringComparison.Ordinal);
    public const string AliasPrefix = "alias:";
}

/// <summary>One approval or rejection of a request; the comment stays with the version.</summary>
public sealed class TransitionDecision
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public long RequestId { get; set; }
    public bool Approved { get; set; }
    public required string Comment { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    /// <summary>One decision per person per request, whichever token or session they act through.</summary>
    public required string PersonKey { get; set; }
    /// <summary>The team and role the approval counts for.</summary>
    public required string Team { get; set; }
    public Teams.TeamRole Role { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}

/// <summary>A version's stage history: who moved it, when, from which request or rollback.</summary>
public sealed class StageChange
{
    public long Id { get; set; }
    public Guid AssetId { get; set; }
    public Guid VersionId { get; set; }
    public Stage From { get; set; }
    public Stage To { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public long? RequestId { get; set; }
    public string Reason { get; set; } = "";

    /// <summary>The reason's column. A reason quotes a justification or rollback reason (of up to as many characters) after a prefix, so it is cut to fit.</summary>
    public const int MaxReasonLength = 2000;

    public static string Fit(string reason) => Names.Cut(reason, MaxReasonLength);
}

/// <summary>A name code uses to find a version (<c>champion</c>); protected ones move only through the Production gate.</summary>
public sealed class AssetAlias
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AssetId { get; set; }
    public required string Name { get; set; }
    public Guid VersionId { get; set; }
    public bool IsProtected { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public int Revision { get; set; } = 1;
}
