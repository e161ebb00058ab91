using Portal.Core.Common;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Lifecycle.LifecycleScenario;

namespace Portal.IntegrationTests.Lifecycle;

/// <summary>The multi-stage gate end to end, on SQLite and PostgreSQL.</summary>
public abstract class GovernedLifecycleTests(PortalApp app)
{
    private const string BeatProductionFairly = """
          - metric: accuracy
            at-least: baseline + 0.01
          - fairness: { metric: recall, slice-key: sex, max-difference: 0.05 }
          - approvals: [{ count: 1, role: Approver }]
        """;

    [Fact]
    public async Task A_better_fair_candidate_approved_with_a_comment_reaches_Production_and_retires_the_old_one()
    {
        var s = await CreateAsync(app, BeatProductionFairly);
        var maya = await s.PersonAsync("marketing-contributors");
        var amara = await s.PersonAsync("marketing-approvers");
        await s.RegisterAsync(maya, "1.0.0", Scores(0.80, 0.78, 0.80));
        await s.RegisterAsync(maya, "1.1.0", Scores(0.82, 0.80, 0.81));

        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            var staged = await s.RequestAsync(maya, version, "Staging");
            Assert.Equal(TransitionState.Applied, staged.Value.State);
            var request = await s.RequestAsync(maya, version, "Production", "Beats the baseline");
            Assert.Equal(TransitionState.Pending, request.Value.State);
            var decided = await s.DecideAsync(amara, request.Value.Id, comment: $"Checked {version} on the holdout");
            Assert.True(decided.IsSuccess, decided.Error?.Message);
            Assert.Equal(TransitionState.Applied, decided.Value.State);
        }

        Assert.Equal(Stage.Production, await s.StageOfAsync("1.1.0"));
        Assert.Equal(Stage.Archived, await s.StageOfAsync("1.0.0"));
        var stages = await app.InScopeAsync<AssetStagesService, Result<AssetStages>>(x => x.GetAsync(amara, "marketing", s.Asset));
        Assert.Equal("1.0.0", stages.Value.RollbackTarget);
        var requests = await app.InScopeAsync<TransitionService, Result<IReadOnlyList<TransitionView>>>(x => x.ListForVersionAsync(maya, "marketing", s.Asset, "1.1.0"));
        var production = requests.Value.Single(r => r.Target == "Production");
        Assert.Equal("Checked 1.1.0 on the holdout", production.Decisions.Single().Comment);
        Assert.Contains(production.LatestEvaluation, r => r.Kind == "metric" && r.Outcome == Portal.Core.Policies.RuleOutcome.Pass && r.Values.TryGetValue("baseline", out var baseline) && baseline == "0.8");
    }

    [Fact]
    public async Task A_candidate_that_misses_the_bound_is_refused_with_the_failing_rule_and_its_values()
    {
        var s = await CreateAsync(app, BeatProductionFairly);
        var maya = await s.PersonAsync("marketing-contributors");
        var amara = await s.PersonAsync("marketing-approvers");
        await s.RegisterAsync(maya, "1.0.0", Scores(0.80, 0.78, 0.80));
        await s.RegisterAsync(maya, "1.1.0", Scores(0.805, 0.70, 0.80));
        await s.RequestAsync(maya, "1.0.0", "Staging");
        var first = await s.RequestAsync(maya, "1.0.0", "Production");
        await s.DecideAsync(amara, first.Value.Id);
        await s.RequestAsync(maya, "1.1.0", "Staging");

        var refused = await s.RequestAsync(maya, "1.1.0", "Production");

        Assert.Equal("policy.failed", refused.Error!.Code);
        var accuracy = Assert.Single(refused.Error.Fields!, f => f.Key.EndsWith("accuracy at-least baseline + 0.01", StringComparison.Ordinal));
        Assert.Contains("0.805", accuracy.Value[0]);
        Assert.Contains(refused.Error.Fields!, f => f.Key.Contains("recall across sex slices", StringComparison.Ordinal));
        Assert.DoesNotContain(refused.Error.Fields!, f => f.Key.Contains("approval", StringComparison.Ordinal));
        Assert.Equal(Stage.Staging, await s.StageOfAsync("1.1.0"));
        Assert.Equal(Stage.Production, await s.StageOfAsync("1.0.0"));
    }

    [Fact]
    public async Task Staging_is_applied_at_once_when_the_policy_needs_no_approval_but_Production_always_waits_for_one()
    {
        var s = await CreateAsync(app, "  - lineage: { requires: [git-commit] }");
        var pipeline = await s.PersonAsync("marketing-contributors");
        await s.RegisterAsync(pipeline, "2.0.0", Scores(0.9, 0.9, 0.9));

        var staging = await s.RequestAsync(pipeline, "2.0.0", "Staging");
        var production = await s.RequestAsync(pipeline, "2.0.0", "Production");

        Assert.Equal(TransitionState.Applied, staging.Value.State);
        Assert.Equal(TransitionState.Pending, production.Value.State);
        Assert.Equal([new Portal.Core.Policies.ApprovalRequirement(1, TeamRole.Approver, null)], production.Value.RequiredApprovals);
    }

    [Fact]
    public async Task Production_needs_an_approver_of_the_owning_team_also_when_the_policy_names_only_another_team()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver, team: risk }]");
        var pipeline = await s.PersonAsync("marketing-contributors");
        await s.RegisterAsync(pipeline, "2.0.0", Scores(0.9, 0.9, 0.9));
        Assert.Equal(TransitionState.Applied, (await s.RequestAsync(pipeline, "2.0.0", "Staging")).Value.State);

        var production = await s.RequestAsync(pipeline, "2.0.0", "Production");

        Assert.Equal(TransitionState.Pending, production.Value.State);
        Assert.Equal([new Portal.Core.Policies.ApprovalRequirement(1, TeamRole.Approver, null), new Portal.Core.Policies.ApprovalRequirement(1, TeamRole.Approver, "risk")],
            production.Value.RequiredApprovals);
    }
}

public sealed class GovernedLifecycleTests_Sqlite(SqlitePortal app) : GovernedLifecycleTests(app), IClassFixture<SqlitePortal>;

public sealed class GovernedLifecycleTests_PostgreSql(PostgresPortal app) : GovernedLifecycleTests(app), IClassFixture<PostgresPortal>;
