using Portal.Core.Policies;

namespace Portal.UnitTests.Policies;

/// <summary>The gate reads from the database only the facts the selected rules judge; these say which.</summary>
public sealed class FactNeedsTests
{
    private static FactNeeds NeedsOf(string rules)
    {
        var document = PolicyParser.Parse($"""
            policy: needs
            applies-to: {"{"} targets: [Production] {"}"}
            rules:
            {rules}
            """);
        Assert.True(document.IsSuccess, document.Error?.Message);
        return FactNeeds.Of(document.Value.Rules);
    }

    [Fact]
    public void Absolute_metric_and_fairness_rules_read_their_metrics_and_no_baseline()
    {
        var needs = NeedsOf("""
              - metric: accuracy
                at-least: 0.8
              - fairness: { metric: recall, slice-key: region, max-difference: 0.05 }
            """);

        Assert.Equal(["accuracy", "recall"], needs.MetricNames!.Order());
        Assert.False(needs.Baseline);
        Assert.False(needs.Lineage || needs.ModelCard || needs.Golden);
    }

    [Fact]
    public void A_bound_relative_to_production_reads_the_baseline()
    {
        var needs = NeedsOf("""
              - metric: accuracy
                at-least: baseline + 0.01
            """);

        Assert.True(needs.Baseline);
    }

    [Fact]
    public void Evidence_rules_read_their_evidence_and_no_metrics()
    {
        var needs = NeedsOf("""
              - model-card: { sections: [intended-use] }
              - lineage: { requires: [dataset-version, git-commit] }
              - golden-check: { passed-within-days: 7 }
              - tags: { required: [reviewed] }
              - approvals: [{ count: 1, role: Approver }]
            """);

        Assert.Empty(needs.MetricNames!);
        Assert.True(needs.ModelCard && needs.Lineage && needs.Golden);
        Assert.False(needs.Baseline);
    }

    [Fact]
    public void A_tags_rule_reads_nothing_beyond_the_versions_row()
    {
        var needs = NeedsOf("""
              - tags: { required: [reviewed] }
            """);

        Assert.Empty(needs.MetricNames!);
        Assert.False(needs.Baseline || needs.Lineage || needs.ModelCard || needs.Golden);
    }
}
