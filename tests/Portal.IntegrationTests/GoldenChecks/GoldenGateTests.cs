using Portal.Core.Lifecycle;
using Portal.IntegrationTests.Lifecycle;
using Portal.Testing;

namespace Portal.IntegrationTests.GoldenChecks;

/// <summary>The lifecycle's golden-check rule reads the checks' results: a candidate must pass within N days, near Production.</summary>
public abstract class GoldenGateTests(PortalApp app)
{
    private const string NeedsGoldenCheck = """
          - golden-check: { passed-within-days: 7 }
          - approvals: [{ count: 1, role: Approver }]
        """;

    [Fact]
    public async Task A_staging_version_within_the_allowed_drop_from_production_passes_and_one_below_it_is_refused_with_the_rule_explained()
    {
        var data = GoldenData.Iris(300, seed: 21);
        var lifecycle = await LifecycleScenario.CreateAsync(app, NeedsGoldenCheck);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes, existingAsset: lifecycle.Asset);
        var approver = await lifecycle.PersonAsync("marketing-approvers");
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.LogEvaluationAsync("1.0.0", 0.95);
        await s.DefineAsync(GoldenScenario.IrisCheck(maxDrop: 0.01) with { Thresholds = new Dictionary<string, double>() });
        Assert.True((await s.RunAsync("1.0.0")).Result!.Passed);
        await lifecycle.RequestAsync(s.Contributor, "1.0.0", "Staging");
        var first = await lifecycle.RequestAsync(s.Contributor, "1.0.0", "Production");
        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(TransitionState.Applied, (await lifecycle.DecideAsync(approver, first.Value.Id)).Value.State);

        // Same model again: its golden accuracy equals Production's, within the allowed drop.
        await s.RegisterModelAsync("1.1.0", ("iris.onnx", GoldenData.Onnx()), ("notes.txt", "same weights"u8.ToArray()));
        await s.LogEvaluationAsync("1.1.0", 0.95);
        var within = await s.FinishedAsync(await LatestRunAsync(s, "1.1.0"));
        Assert.True(within.Result!.Passed);
        await lifecycle.RequestAsync(s.Contributor, "1.1.0", "Staging");
        var accepted = await lifecycle.RequestAsync(s.Contributor, "1.1.0", "Production");
        Assert.True(accepted.IsSuccess, accepted.Error?.Message);
        Assert.Contains(accepted.Value.LatestEvaluation, r => r.Kind == "golden-check" && r.Outcome == Portal.Core.Policies.RuleOutcome.Pass);

        // A worse model: below Production's golden accuracy by more than 0.01.
        Assert.True(data.Accuracy(GoldenData.WorseBias) < data.Accuracy() - 0.01, "the worse model must really be worse on these rows");
        await s.RegisterModelAsync("1.2.0", ("iris.onnx", GoldenData.Onnx(GoldenData.WorseBias)));
        await s.LogEvaluationAsync("1.2.0", 0.95);
        var below = await s.FinishedAsync(await LatestRunAsync(s, "1.2.0"));
        Assert.False(below.Result!.Passed);
        Assert.Contains(below.Result.Findings, f => f.Metric == "accuracy" && !f.Passed && f.Explanation.Contains("beyond 0.01 of Production's", StringComparison.Ordinal));
        await lifecycle.RequestAsync(s.Contributor, "1.2.0", "Staging");
        var refused = await lifecycle.RequestAsync(s.Contributor, "1.2.0", "Production");

        Assert.Equal("policy.failed", refused.Error!.Code);
        var rule = Assert.Single(refused.Error.Fields!, f => f.Key.Contains("golden check passed within 7 days", StringComparison.Ordinal));
        Assert.Contains("'holdout' failed its latest run", rule.Value[0], StringComparison.Ordinal);
        Assert.Equal(Stage.Staging, await lifecycle.StageOfAsync("1.2.0"));
    }

    [Fact]
    public async Task A_check_whose_latest_run_could_not_finish_fails_the_rule_despite_an_older_pass()
    {
        var lifecycle = await LifecycleScenario.CreateAsync(app, NeedsGoldenCheck);
        var s = await GoldenScenario.CreateAsync(app, GoldenData.Iris(100, seed: 29).Bytes, existingAsset: lifecycle.Asset);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.LogEvaluationAsync("1.0.0", 0.95);
        await s.DefineAsync(GoldenScenario.IrisCheck() with { Thresholds = new Dictionary<string, double>() });
        var (passed, result) = await s.RunAsync("1.0.0");
        Assert.True(result!.Passed);
        // The next run of the same check on the same version did not finish (it timed out, as the sweeper records it).
        await using (var db = await app.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Core.Data.PortalDbContext>>().CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            var errored = new Portal.Core.Jobs.JobRun
            {
                Kind = passed.Kind, TeamId = passed.TeamId, SubjectType = passed.SubjectType, SubjectId = passed.SubjectId, SubjectLabel = passed.SubjectLabel,
                DefinitionId = passed.DefinitionId, Trigger = "schedule", RequestedBy = "test", QueuedAt = now, DeadlineAt = now,
            };
            errored.Claim(now);
            errored.Fail(now.AddSeconds(1), "Timed out: the run did not finish in time (the worker may have stopped).");
            db.JobRuns.Add(errored);
            await db.SaveChangesAsync();
        }
        await lifecycle.RequestAsync(s.Contributor, "1.0.0", "Staging");

        var refused = await lifecycle.RequestAsync(s.Contributor, "1.0.0", "Production");

        Assert.Equal("policy.failed", refused.Error?.Code);
        var rule = Assert.Single(refused.Error!.Fields!, f => f.Key.Contains("golden check passed within 7 days", StringComparison.Ordinal));
        Assert.Contains("'holdout' failed its latest run", rule.Value[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_asking_for_a_golden_check_refuses_an_asset_that_defines_none()
    {
        var lifecycle = await LifecycleScenario.CreateAsync(app, NeedsGoldenCheck);
        var contributor = await lifecycle.PersonAsync("marketing-contributors");
        await lifecycle.RegisterAsync(contributor, "1.0.0");
        await lifecycle.RequestAsync(contributor, "1.0.0", "Staging");

        var refused = await lifecycle.RequestAsync(contributor, "1.0.0", "Production");

        Assert.Equal("policy.failed", refused.Error!.Code);
        Assert.Contains(refused.Error.Fields!, f => f.Value[0].Contains("no golden check", StringComparison.Ordinal));
    }

    private async Task<Guid> LatestRunAsync(GoldenScenario s, string version)
    {
        var runs = await app.InScopeAsync<Portal.Core.Jobs.JobRunService, Portal.Core.Common.Result<Portal.Core.Jobs.JobRunPage>>(x =>
            x.ListAsync(s.Contributor, "marketing", "golden-check", null, 0, 200));
        return runs.Value.Items.First(r => r.SubjectLabel.StartsWith($"{s.Asset} {version} ", StringComparison.Ordinal)).Id;
    }
}

public sealed class GoldenGateTests_Sqlite(SqlitePortal app) : GoldenGateTests(app), IClassFixture<SqlitePortal>;

public sealed class GoldenGateTests_PostgreSql(PostgresPortal app) : GoldenGateTests(app), IClassFixture<PostgresPortal>;
