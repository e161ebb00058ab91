using Bunit;
using Portal.Core.Lifecycle;
using Portal.Core.Policies;
using Portal.Web.Components.Pages.Lifecycle;
using Portal.Web.Components.Shared;

namespace Portal.ComponentTests.Lifecycle;

/// <summary>The parts of the review screen an approver decides from: rule results with their values, and metric deltas.</summary>
public sealed class ReviewComponentsTests : PortalComponentTest
{
    private static RuleResult Rule(string kind, RuleOutcome outcome, string explanation, params (string Key, string Value)[] values) =>
        new("marketing-production", 3, false, kind, kind + " rule", outcome, explanation, values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void Rule_results_show_outcome_policy_revision_explanation_and_compared_values()
    {
        var cut = Render<RuleResultsTable>(p => p.Add(x => x.Results, [
            Rule("metric", RuleOutcome.Fail, "accuracy 0.80 is below the required 0.871", ("candidate", "0.8"), ("required", "0.871")),
            Rule("golden-check", RuleOutcome.NotApplicable, "No golden checks configured."),
        ]));

        var rows = cut.FindAll("[data-testid=rule-results] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Fail", rows[0].TextContent);
        Assert.Contains("rev. 3", rows[0].TextContent);
        Assert.Contains("candidate 0.8, required 0.871", rows[0].TextContent);
        Assert.Contains("Not applicable", rows[1].TextContent);
    }

    [Fact]
    public void Approvals_still_missing_on_an_open_request_are_waiting_not_failed()
    {
        var missing = Rule("approvals", RuleOutcome.Fail, "0 of 1 Approver approvals from marketing.");

        var open = Render<RuleResultsTable>(p => p.Add(x => x.Results, [missing]).Add(x => x.Open, true));
        var closed = Render<RuleResultsTable>(p => p.Add(x => x.Results, [missing]).Add(x => x.Open, false));

        Assert.Contains("Waiting", open.Find("tbody tr").TextContent);
        Assert.Contains("Fail", closed.Find("tbody tr").TextContent);
    }

    [Fact]
    public void No_selected_policy_is_said_plainly()
    {
        var cut = Render<RuleResultsTable>(p => p.Add(x => x.Results, []));

        Assert.Contains("No policy applies", cut.Markup);
    }

    [Fact]
    public void Metric_deltas_are_signed_and_marked_up_or_down_overall_first()
    {
        var cut = Render<TransitionMetrics>(p => p
            .Add(x => x.Items, [new MetricComparison("accuracy", "region=eu", 0.85, 0.86), new MetricComparison("accuracy", "", 0.884, 0.861)])
            .Add(x => x.Production, "1.0.0"));

        var rows = cut.FindAll("tbody tr");
        Assert.Contains("overall", rows[0].TextContent);
        Assert.Equal("+0.023", rows[0].QuerySelector(".delta-up")!.TextContent);
        Assert.Equal("-0.01", rows[1].QuerySelector(".delta-down")!.TextContent);
        Assert.Contains("Production 1.0.0", cut.Find("thead").TextContent);
    }
}
