using Portal.Core.Policies;

namespace Portal.UnitTests.Policies;

public sealed class PolicyWeakeningTests
{
    private static readonly PolicyDocument Global = PolicyParser.Parse("""
        policy: platform-production
        applies-to: { targets: [Production] }
        rules:
          - metric: accuracy
            at-least: baseline + 0.01
          - metric: latency_ms
            at-most: 200
          - fairness: { metric: recall, slice-key: sex, max-difference: 0.05 }
          - model-card: { sections: [intended-use, limitations] }
          - lineage: { requires: [dataset-version, git-commit] }
          - golden-check: { passed-within-days: 7 }
          - approvals: [{ count: 2, role: Approver }]
        """).Value;

    private static Portal.Core.Common.Error? Check(string rules, string appliesTo = "{ targets: [Production] }") =>
        PolicyWeakening.Check(PolicyParser.Parse($"policy: team\napplies-to: {appliesTo}\nrules:\n{rules}").Value, [("platform-production", 4, Global)]);

    [Theory]
    [InlineData("  - metric: accuracy\n    at-least: baseline + 0.005\n", "lowers accuracy at-least from baseline + 0.01 to baseline + 0.005")]
    [InlineData("  - metric: latency_ms\n    at-most: 250\n", "raises latency_ms at-most from 200 to 250")]
    [InlineData("  - fairness: { metric: recall, slice-key: sex, max-difference: 0.08 }\n", "loosens the recall bound across sex slices from 0.05 to 0.08")]
    [InlineData("  - model-card: { sections: [intended-use] }\n", "drops the required model card sections limitations")]
    [InlineData("  - lineage: { requires: [git-commit] }\n", "drops the required lineage dataset-version")]
    [InlineData("  - golden-check: { passed-within-days: 30 }\n", "allows a golden check 30 days old instead of 7")]
    [InlineData("  - approvals: [{ count: 1, role: Approver }]\n", "requires 1 Approver approval(s) instead of 2 Approver approval(s)")]
    [InlineData("  - approvals: [{ count: 2, role: Contributor }]\n", "requires 2 Contributor approval(s) instead of 2 Approver approval(s)")]
    public void Team_policy_cannot_lower_a_global_threshold(string rules, string expected)
    {
        var error = Check(rules);

        Assert.Equal(PolicyWeakening.Code, error?.Code);
        Assert.Contains(expected, error!.Message);
        Assert.Contains("global policy 'platform-production' (revision 4)", error.Message);
    }

    [Theory]
    [InlineData("  - metric: accuracy\n    at-least: baseline + 0.02\n")]
    [InlineData("  - metric: accuracy\n    at-least: 0.5\n")]
    [InlineData("  - fairness: { metric: recall, slice-key: sex, max-difference: 0.01 }\n")]
    [InlineData("  - fairness: { metric: recall, slice-key: region, max-difference: 0.2 }\n")]
    [InlineData("  - model-card: { sections: [intended-use, limitations, ethical-considerations] }\n")]
    [InlineData("  - approvals: [{ count: 3, role: Approver }, { count: 1, role: Viewer, team: risk }]\n")]
    [InlineData("  - tags: { required: [reviewed] }\n")]
    public void Team_policy_may_tighten_or_add_rules(string rules) => Assert.Null(Check(rules));

    [Fact]
    public void A_looser_rule_for_a_target_the_global_policy_does_not_govern_is_allowed() =>
        Assert.Null(Check("  - metric: accuracy\n    at-least: baseline\n", "{ targets: [Staging] }"));
}
