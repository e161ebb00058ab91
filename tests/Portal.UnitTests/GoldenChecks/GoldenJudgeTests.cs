using Portal.Core.GoldenChecks;

namespace Portal.UnitTests.GoldenChecks;

public class GoldenJudgeTests
{
    private static GoldenCheck Check(double? maxDrop = null, params (string Metric, double Bound)[] bounds) => new()
    {
        Name = "holdout", DatasetPath = "golden.csv", CreatedBy = "test", Metrics = ["accuracy", "rmse", "demographic-parity-difference"],
        Thresholds = bounds.ToDictionary(b => b.Metric, b => b.Bound), MaxDropFromProduction = maxDrop,
    };

    [Fact]
    public void A_higher_is_better_metric_passes_at_its_bound_and_fails_below_it()
    {
        var findings = GoldenJudge.Judge(Check(null, ("accuracy", 0.9)), [new("accuracy", "", 0.9), new("accuracy", "region=eu", 0.5)], null);

        Assert.True(findings.Single(f => f.Slice == "").Passed);
        // Per-group figures are shown, not judged: a small group cannot fail the check on its own.
        Assert.True(findings.Single(f => f.Slice == "region=eu").Passed);
        Assert.False(GoldenJudge.Judge(Check(null, ("accuracy", 0.9)), [new("accuracy", "", 0.89)], null).Single().Passed);
    }

    [Fact]
    public void Errors_and_fairness_spreads_must_stay_below_their_bound()
    {
        var findings = GoldenJudge.Judge(Check(null, ("rmse", 1.0), ("demographic-parity-difference", 0.1)),
            [new("rmse", "", 1.2), new("demographic-parity-difference", "region", 0.05)], null);

        Assert.False(findings.Single(f => f.Metric == "rmse").Passed);
        Assert.True(findings.Single(f => f.Metric == "demographic-parity-difference").Passed);
        Assert.Contains("≤ 1", findings.Single(f => f.Metric == "rmse").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_may_fall_behind_production_by_the_allowed_drop_and_no_more()
    {
        var production = new Dictionary<string, double> { ["accuracy"] = 0.92 };

        var within = GoldenJudge.Judge(Check(0.01), [new("accuracy", "", 0.91)], production).Single();
        var beyond = GoldenJudge.Judge(Check(0.01), [new("accuracy", "", 0.90)], production).Single();

        Assert.True(within.Passed);
        Assert.Equal(0.92, within.Production);
        Assert.False(beyond.Passed);
        Assert.Contains("beyond 0.01 of Production's 0.92", beyond.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bound_whose_figure_was_not_reported_fails()
    {
        var check = Check(null, ("accuracy", 0.9), ("rmse", 1.0), ("demographic-parity-difference", 0.1));
        check.SliceColumns = ["region", "age"];

        var findings = GoldenJudge.Judge(check, [new("accuracy", "", 0.95), new("demographic-parity-difference", "region", 0.05)], null);

        Assert.True(findings.Single(f => f.Metric == "accuracy").Passed);
        Assert.True(findings.Single(f => f.Metric == "demographic-parity-difference" && f.Slice == "region").Passed);
        Assert.False(findings.Single(f => f.Metric == "rmse").Passed);
        Assert.False(findings.Single(f => f.Metric == "demographic-parity-difference" && f.Slice == "age").Passed);
        Assert.All(findings.Where(f => !f.Passed), f => Assert.StartsWith("Not reported", f.Explanation, StringComparison.Ordinal));
    }

    [Fact]
    public void A_judged_figure_that_cannot_be_computed_fails()
    {
        var finding = GoldenJudge.Judge(Check(null, ("accuracy", 0.5)), [new("accuracy", "", double.NaN)], null).Single();

        Assert.False(finding.Passed);
    }
}
