using Portal.Core.Assets;
using Portal.Core.Policies;
using Portal.Core.Teams;

namespace Portal.UnitTests.Policies;

public sealed class PolicyParserTests
{
    private const string Full = """
        policy: marketing-production
        description: What Marketing models need before customers see them.
        applies-to: { kinds: [Model], tags: [customer-facing], targets: [Production, alias:champion] }
        rules:
          - metric: accuracy
            at-least: baseline + 0.01
          - metric: latency_ms
            slice: region=eu
            at-most: 120
          - metric: auc
            at-least: baseline * 1.01
          - fairness: { metric: recall, slice-key: sex, max-difference: 0.05 }
          - model-card: { sections: [intended-use, limitations, ethical-considerations] }
          - lineage: { requires: [dataset-version, git-commit] }
          - golden-check: { passed-within-days: 7 }
          - approvals: [{ count: 1, role: Approver }, { count: 1, role: Approver, team: risk }]
          - tags: { required: [reviewed] }
        """;

    private static string ErrorOf(string yaml)
    {
        var result = PolicyParser.Parse(yaml);
        Assert.False(result.IsSuccess);
        Assert.Equal(PolicyParser.InvalidCode, result.Error!.Code);
        return result.Error.FieldMessage(PolicyParser.Field)!;
    }

    [Fact]
    public void Every_rule_kind_of_the_documented_shape_parses()
    {
        var document = PolicyParser.Parse(Full).Value;

        Assert.Equal("marketing-production", document.Name);
        Assert.Equal([AssetKind.Model], document.AppliesTo.Kinds);
        Assert.Equal(["Production", "alias:champion"], document.AppliesTo.Targets);
        Assert.Equal(new MetricRule("accuracy", "", new Threshold(ThresholdBasis.BaselinePlus, 0.01), null), document.Rules[0]);
        Assert.Equal(new MetricRule("latency_ms", "region=eu", null, new Threshold(ThresholdBasis.Absolute, 120)), document.Rules[1]);
        Assert.Equal(new Threshold(ThresholdBasis.BaselineTimes, 1.01), ((MetricRule)document.Rules[2]).AtLeast);
        Assert.Equal(new FairnessRule("recall", "sex", 0.05), document.Rules[3]);
        Assert.Equal(["intended-use", "limitations", "ethical-considerations"], ((ModelCardRule)document.Rules[4]).Sections);
        Assert.Equal(new GoldenCheckRule(7), document.Rules[6]);
        Assert.Equal(new ApprovalRule(1, TeamRole.Approver, null), document.Rules[7]);
        Assert.Equal(new ApprovalRule(1, TeamRole.Approver, "risk"), document.Rules[8]);
        Assert.IsType<TagsRule>(document.Rules[9]);
    }

    [Fact]
    public void A_misspelt_rule_kind_is_reported_at_its_line_and_column()
    {
        var message = ErrorOf("policy: p\nrules:\n  - metric: accuracy\n    at-least: 0.8\n  - metrc: accuracy\n");

        Assert.Equal("line 5, column 5: unknown rule kind 'metrc'; expected one of: metric, fairness, model-card, lineage, golden-check, approvals, tags", message);
    }

    [Fact]
    public void Broken_yaml_is_reported_with_a_position_not_thrown()
    {
        var message = ErrorOf("policy: p\nrules:\n  - metric: [accuracy\n");

        Assert.StartsWith("line ", message);
        Assert.DoesNotContain("(Line", message);
    }

    [Theory]
    [InlineData('[', ']')]
    [InlineData('{', '}')]
    public void Nesting_deep_enough_to_exhaust_the_stack_is_refused_with_its_position(char open, char close)
    {
        // Within the 64 KiB limit; loading it into YamlDotNet's node model overflowed the stack and ended the process.
        var yaml = "policy: deep\nrules: " + new string(open, 20_000) + new string(close, 20_000) + "\n";

        var result = PolicyParser.Parse(yaml);

        Assert.Equal(PolicyParser.InvalidCode, result.Error!.Code);
        Assert.StartsWith("line 2, column ", result.Error.Fields![PolicyParser.Field][0]);
        Assert.Contains("nests deeper than 32 levels", result.Error.Fields[PolicyParser.Field][0]);
    }

    [Fact]
    public void A_policy_nested_as_deep_as_real_ones_still_parses()
    {
        var result = PolicyParser.Parse("policy: nested\nrules:\n  - metric: accuracy\n    at-least: 0.7\n  - fairness: { metric: accuracy, slice-key: region, max-difference: 0.05 }\n");

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public void An_unknown_key_is_reported_where_it_stands()
    {
        var message = ErrorOf("policy: p\nrules:\n  - fairness:\n      max-diff: 0.1\n      metric: recall\n      slice-key: sex\n      max-difference: 0.1\n");

        Assert.Equal("line 4, column 7: unknown key 'max-diff' in the fairness rule; expected one of: metric, slice-key, max-difference", message);
    }

    [Theory]
    [InlineData("policy: p\nrules:\n  - fairness: { metric: recall, slice-key: sex, max-difference: lots }\n", "line 3, column 65: max-difference must be a number")]
    [InlineData("policy: p\nrules:\n  - golden-check: { passed-within-days: 0 }\n", "line 3, column 41: passed-within-days must be a whole number from 1 to 365")]
    [InlineData("policy: p\nrules:\n  - approvals: [{ count: 2, role: Boss }]\n", "line 3, column 35: 'Boss' is not a team role")]
    [InlineData("policy: p\nrules:\n  - metric: accuracy\n    at-least: baseline plus a bit\n", "line 4, column 15: 'baseline plus a bit' is not a bound")]
    [InlineData("policy: p\nrules:\n  - metric: accuracy\n", "line 3, column 5: a metric rule needs 'at-least' or 'at-most'")]
    [InlineData("policy: p\nrules:\n  - model-card: { sections: [intended-use, vibes] }\n", "line 3, column 44: 'vibes' is not a model card section")]
    [InlineData("policy: p\napplies-to: { targets: [Heaven] }\nrules:\n  - tags: { required: [x] }\n", "line 2, column 25: 'Heaven' is not a target")]
    [InlineData("policy: p\nrules: accuracy\n", "line 2, column 8: rules must be a list")]
    [InlineData("policy: Not A Slug\nrules:\n  - tags: { required: [x] }\n", "line 1, column 9: 'Not A Slug' is not a policy name")]
    [InlineData("rules:\n  - tags: { required: [x] }\n", "line 1, column 1: a policy needs 'policy'")]
    [InlineData("- just\n- a list\n", "line 1, column 1: a policy must be a mapping")]
    public void Wrong_values_are_reported_with_line_and_column(string yaml, string expectedStart) => Assert.StartsWith(expectedStart, ErrorOf(yaml));

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var result = PolicyParser.Parse("policy: p\nrules:\n  - metrc: a\n  - golden-check: { passed-within-days: x }\n");

        Assert.Equal(2, result.Error!.Fields![PolicyParser.Field].Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public void An_empty_text_is_refused(string yaml) => Assert.StartsWith("line 1, column 1: the policy is empty", ErrorOf(yaml));

    [Fact]
    public void A_repeated_key_is_refused() => Assert.StartsWith("line ", ErrorOf("policy: p\npolicy: q\nrules:\n  - tags: { required: [x] }\n"));

    [Fact]
    public void Target_and_kind_spelling_is_normalised()
    {
        var document = PolicyParser.Parse("policy: p\napplies-to: { kinds: [model], targets: [production, ALIAS:Champion] }\nrules:\n  - tags: { required: [x] }\n").Value;

        Assert.Equal([AssetKind.Model], document.AppliesTo.Kinds);
        Assert.Equal(["Production", "alias:champion"], document.AppliesTo.Targets);
    }
}
