using Portal.Core.Policies;
using Portal.Core.Teams;
using static Portal.UnitTests.Policies.Facts;

namespace Portal.UnitTests.Policies;

public sealed class PolicyRuleTests
{
    private static readonly MetricRule BeatsBaseline = new("accuracy", "", new Threshold(ThresholdBasis.BaselinePlus, 0.01), null);

    [Fact]
    public void Metric_above_baseline_plus_delta_passes_with_the_values_compared()
    {
        var verdict = BeatsBaseline.Evaluate(Candidate());

        Assert.Equal(RuleOutcome.Pass, verdict.Outcome);
        Assert.Equal("0.884", verdict.Values["candidate"]);
        Assert.Equal("0.861", verdict.Values["baseline"]);
        Assert.Equal("0.871", verdict.Values["required"]);
        Assert.Equal("1.2.0", verdict.Values["baseline-version"]);
    }

    [Fact]
    public void Metric_below_baseline_plus_delta_fails_and_says_by_what()
    {
        var verdict = BeatsBaseline.Evaluate(Candidate(Metrics(("accuracy", "", 0.865))));

        Assert.Equal(RuleOutcome.Fail, verdict.Outcome);
        Assert.Contains("0.865 is below the required 0.871", verdict.Explanation);
    }

    [Fact]
    public void Metric_exactly_at_the_written_bound_passes_despite_float_rounding() =>
        Assert.Equal(RuleOutcome.Pass, BeatsBaseline.Evaluate(Candidate(Metrics(("accuracy", "", 0.871)))).Outcome);

    [Fact]
    public void Baseline_rule_without_a_Production_version_is_not_applicable_never_a_pass()
    {
        var verdict = BeatsBaseline.Evaluate(Candidate(noBaseline: true));

        Assert.Equal(RuleOutcome.NotApplicable, verdict.Outcome);
        Assert.Contains("No Production version yet", verdict.Explanation);
    }

    [Fact]
    public void Missing_candidate_metric_fails() =>
        Assert.Equal(RuleOutcome.Fail, BeatsBaseline.Evaluate(Candidate(Metrics(("auc", "", 0.9)))).Outcome);

    [Fact]
    public void Relative_factor_and_upper_bounds_are_applied()
    {
        var rule = new MetricRule("latency", "", null, new Threshold(ThresholdBasis.BaselineTimes, 1.1));
        var facts = Candidate(Metrics(("latency", "", 120)), Metrics(("latency", "", 100)));

        var verdict = rule.Evaluate(facts);

        Assert.Equal(RuleOutcome.Fail, verdict.Outcome);
        Assert.Equal("110", verdict.Values["limit"]);
    }

    [Fact]
    public void Absolute_threshold_needs_no_baseline() =>
        Assert.Equal(RuleOutcome.Pass,
            new MetricRule("accuracy", "", new Threshold(ThresholdBasis.Absolute, 0.8), null).Evaluate(Candidate(noBaseline: true)).Outcome);

    [Fact]
    public void Fairness_within_the_bound_passes_and_reports_the_spread()
    {
        var verdict = new FairnessRule("recall", "sex", 0.05).Evaluate(Candidate(Metrics(("recall", "sex=female", 0.80), ("recall", "sex=male", 0.83), ("recall", "", 0.2))));

        Assert.Equal(RuleOutcome.Pass, verdict.Outcome);
        Assert.Equal("0.03", verdict.Values["difference"]);
        Assert.Equal("sex=male: 0.83", verdict.Values["highest"]);
    }

    [Fact]
    public void Fairness_beyond_the_bound_fails() =>
        Assert.Equal(RuleOutcome.Fail,
            new FairnessRule("recall", "sex", 0.05).Evaluate(Candidate(Metrics(("recall", "sex=female", 0.70), ("recall", "sex=male", 0.83)))).Outcome);

    [Fact]
    public void Fairness_without_two_slices_fails_rather_than_passing_unchecked() =>
        Assert.Equal(RuleOutcome.Fail, new FairnessRule("recall", "sex", 0.05).Evaluate(Candidate(Metrics(("recall", "sex=female", 0.70)))).Outcome);

    [Fact]
    public void Model_card_with_every_named_section_filled_passes()
    {
        var card = new Dictionary<string, string> { ["intendedUse"] = "Scoring churn risk for retention offers.", ["limitations"] = "Not calibrated for new markets yet." };

        Assert.Equal(RuleOutcome.Pass, new ModelCardRule(["intended-use", "limitations"]).Evaluate(Candidate(modelCard: card)).Outcome);
    }

    [Fact]
    public void Model_card_with_a_short_or_missing_section_fails_naming_it()
    {
        var card = new Dictionary<string, string> { ["intendedUse"] = "Scoring churn risk for retention offers.", ["ethicalConsiderations"] = "tbd" };

        var verdict = new ModelCardRule(["intended-use", "ethical-considerations"]).Evaluate(Candidate(modelCard: card));

        Assert.Equal(RuleOutcome.Fail, verdict.Outcome);
        Assert.Equal("ethical-considerations", verdict.Values["missing"]);
    }

    [Fact]
    public void No_model_card_fails() => Assert.Equal(RuleOutcome.Fail, new ModelCardRule(["limitations"]).Evaluate(Candidate()).Outcome);

    [Fact]
    public void Lineage_with_dataset_and_commit_passes() =>
        Assert.Equal(RuleOutcome.Pass, new LineageRule([LineageRule.DatasetVersion, LineageRule.GitCommit]).Evaluate(Candidate()).Outcome);

    [Fact]
    public void Lineage_without_a_commit_fails_naming_it()
    {
        var verdict = new LineageRule([LineageRule.DatasetVersion, LineageRule.GitCommit]).Evaluate(Candidate(gitCommit: null, datasetEdges: 2));

        Assert.Equal(RuleOutcome.Fail, verdict.Outcome);
        Assert.Equal("missing", verdict.Values["git-commit"]);
    }

    [Fact]
    public void Golden_check_fails_when_the_asset_has_no_golden_check()
    {
        var verdict = new GoldenCheckRule(7).Evaluate(Candidate());

        Assert.Equal(RuleOutcome.Fail, verdict.Outcome);
        Assert.Equal("The asset has no golden check: define one and run it on this version.", verdict.Explanation);
    }

    private static readonly DateTimeOffset GoldenNow = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static RuleVerdict Golden(int checks, params GoldenRunFact[] latest) =>
        new GoldenCheckRule(7).Evaluate(Candidate() with { Golden = new GoldenFacts(checks, latest, GoldenNow) });

    [Fact]
    public void Golden_check_passes_when_every_check_passed_within_the_window()
    {
        var verdict = Golden(2, new("churn-holdout", true, GoldenNow.AddDays(-6)), new("fairness", true, GoldenNow.AddHours(-1)));

        Assert.Equal(RuleOutcome.Pass, verdict.Outcome);
        Assert.Equal("passed 2026-11-18 12:00 UTC", verdict.Values["check churn-holdout"]);
    }

    [Fact]
    public void Golden_check_fails_on_a_failed_latest_run_a_stale_pass_or_a_check_that_never_ran()
    {
        Assert.Equal("'churn-holdout' failed its latest run.", Golden(1, new GoldenRunFact("churn-holdout", false, GoldenNow)).Explanation);
        Assert.Equal("'churn-holdout' last passed 8 days ago.", Golden(1, new GoldenRunFact("churn-holdout", true, GoldenNow.AddDays(-8))).Explanation);
        var partial = Golden(2, new GoldenRunFact("churn-holdout", true, GoldenNow));
        Assert.Equal(RuleOutcome.Fail, partial.Outcome);
        Assert.Equal("1 of 2 checks never ran on this version.", partial.Explanation);
    }

    [Fact]
    public void Required_tags_pass_when_on_asset_or_version_and_fail_when_missing()
    {
        Assert.Equal(RuleOutcome.Pass, new TagsRule(["reviewed"]).Evaluate(Candidate(tags: ["customer-facing", "reviewed"])).Outcome);
        Assert.Equal("reviewed", new TagsRule(["reviewed"]).Evaluate(Candidate()).Values["missing"]);
    }

    [Fact]
    public void Approvals_count_distinct_people_with_at_least_the_role_in_the_named_team()
    {
        var approvals = new[] { Approval("amara", "risk"), Approval("amara", "risk"), Approval("ben", "risk", TeamRole.Viewer), Approval("chen", "marketing") };

        var verdict = new ApprovalRule(2, TeamRole.Approver, "risk").Evaluate(Candidate(approvals: approvals));

        Assert.Equal(RuleOutcome.Fail, verdict.Outcome);
        Assert.Equal("1 of 2 Approver approvals from risk.", verdict.Explanation);
    }

    [Fact]
    public void Approvals_without_a_team_count_the_assets_team_and_higher_roles()
    {
        var verdict = new ApprovalRule(1, TeamRole.Approver, null).Evaluate(Candidate(approvals: [Approval("dana", "marketing", TeamRole.TeamAdmin)]));

        Assert.Equal(RuleOutcome.Pass, verdict.Outcome);
        Assert.Equal("marketing", verdict.Values["team"]);
    }
}
