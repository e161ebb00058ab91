using Portal.Core.Policies;
using Portal.Core.Teams;
using static Portal.UnitTests.Policies.Facts;

namespace Portal.UnitTests.Policies;

public sealed class PolicyEvaluatorTests
{
    private static LoadedPolicy Policy(string yaml, bool global = false, int revision = 1)
    {
        var document = PolicyParser.Parse(yaml);
        return new LoadedPolicy(document.IsSuccess ? document.Value.Name : "broken", revision, global, document);
    }

    private static readonly LoadedPolicy Global = Policy("""
        policy: everything-to-production
        applies-to: { targets: [Production] }
        rules:
          - metric: accuracy
            at-least: baseline + 0.01
          - approvals: [{ count: 1, role: Approver }]
        """, global: true, revision: 3);

    private static readonly LoadedPolicy CustomerFacing = Policy("""
        policy: customer-facing
        applies-to: { kinds: [Model], tags: [customer-facing], targets: [Production, alias:champion] }
        rules:
          - lineage: { requires: [git-commit] }
          - approvals: [{ count: 1, role: Approver }, { count: 1, role: Approver, team: risk }]
        """);

    [Fact]
    public void Policies_are_selected_by_kind_tags_and_target()
    {
        var production = PolicyEvaluator.Evaluate([Global, CustomerFacing], Candidate(), "Production");
        var staging = PolicyEvaluator.Evaluate([Global, CustomerFacing], Candidate(), "Staging");
        var champion = PolicyEvaluator.Evaluate([Global, CustomerFacing], Candidate(tags: []), "alias:Champion");

        Assert.Equal(["everything-to-production", "customer-facing"], production.Results.Select(r => r.Policy).Distinct());
        Assert.Empty(staging.Results);
        Assert.Empty(champion.Results);
    }

    [Fact]
    public void Results_name_policy_revision_scope_and_rule()
    {
        var first = PolicyEvaluator.Evaluate([Global], Candidate(), "Production").Results[0];

        Assert.Equal(("everything-to-production", 3, true, "metric", "accuracy at-least baseline + 0.01", RuleOutcome.Pass),
            (first.Policy, first.PolicyRevision, first.IsGlobal, first.Kind, first.Rule, first.Outcome));
    }

    [Fact]
    public void Checks_can_pass_while_approvals_are_still_outstanding()
    {
        var evaluation = PolicyEvaluator.Evaluate([Global, CustomerFacing], Candidate(approvals: [Approval("amara", "marketing")]), "Production");

        Assert.True(evaluation.ChecksPass);
        Assert.False(evaluation.Passes);
        Assert.Equal([new ApprovalRequirement(1, TeamRole.Approver, "risk")], evaluation.RequiredApprovals);
    }

    [Fact]
    public void The_same_approval_requirement_in_two_policies_is_asked_once()
    {
        var evaluation = PolicyEvaluator.Evaluate([Global, CustomerFacing], Candidate(), "Production");

        Assert.Equal([new ApprovalRequirement(1, TeamRole.Approver, null), new ApprovalRequirement(1, TeamRole.Approver, "risk")], evaluation.RequiredApprovals);
    }

    [Fact]
    public void All_approvals_given_make_the_evaluation_pass()
    {
        var evaluation = PolicyEvaluator.Evaluate([Global, CustomerFacing], Candidate(approvals: [Approval("amara", "marketing"), Approval("rui", "risk")]), "Production");

        Assert.True(evaluation.Passes);
        Assert.Empty(evaluation.RequiredApprovals);
    }

    [Fact]
    public void A_stored_policy_that_no_longer_parses_fails_the_gate_instead_of_vanishing()
    {
        var evaluation = PolicyEvaluator.Evaluate([Policy("policy: x\nrules: nope\n")], Candidate(), "Staging");

        Assert.False(evaluation.ChecksPass);
        Assert.Equal("policy", evaluation.Failures.Single().Kind);
    }
}
