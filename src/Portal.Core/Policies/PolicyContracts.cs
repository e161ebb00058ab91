using Portal.Core.Teams;

namespace Portal.Core.Policies;

public enum RuleOutcome
{
    Pass = 1,
    Fail = 2,
    NotApplicable = 3,
}

/// <summary>One rule's verdict, kept on the transition request: what was compared and why it passed or failed.</summary>
public sealed record RuleResult(string Policy, int PolicyRevision, bool IsGlobal, string Kind, string Rule, RuleOutcome Outcome, string Explanation,
    IReadOnlyDictionary<string, string> Values);

/// <summary>Approvals a policy demands: a count of people holding at least a role, in the asset's team or in a named team.</summary>
public sealed record ApprovalRequirement(int Count, TeamRole Role, string? Team);

/// <summary>An approval already given on a request, as the approvals rule counts it.</summary>
public sealed record ApprovalFact(string ActorId, string Team, TeamRole Role);

/// <summary>
/// The policies selected for a version and target, and what they said. Approval rules are part of
/// <see cref="Results"/>; <see cref="RequiredApprovals"/> says who must still sign.
/// </summary>
public sealed record PolicyEvaluation(IReadOnlyList<RuleResult> Results, IReadOnlyList<ApprovalRequirement> RequiredApprovals)
{
    /// <summary>Every rule other than approvals passed or does not apply.</summary>
    public bool ChecksPass => Results.Where(r => r.Kind != "approvals").All(r => r.Outcome != RuleOutcome.Fail);

    /// <summary>Every rule, approvals included, passed or does not apply: the request may be applied.</summary>
    public bool Passes => Results.All(r => r.Outcome != RuleOutcome.Fail);

    public IEnumerable<RuleResult> Failures => Results.Where(r => r.Outcome == RuleOutcome.Fail);

    /// <summary>Failures other than approvals still outstanding: what refuses a request outright.</summary>
    public IEnumerable<RuleResult> CheckFailures => Failures.Where(r => r.Kind != "approvals");
}
