using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Policies;

/// <summary>The evaluator as the lifecycle service calls it: facts read from a real database.</summary>
public sealed class PolicyEvaluatorDatabaseTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private async Task<PolicyEvaluation> EvaluateAsync(Guid versionId, string target, params ApprovalFact[] approvals)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await app.Service<PolicyEvaluator>().EvaluateAsync(db, (await VersionHead.ReadAsync(db, versionId, CancellationToken.None))!, target, approvals, CancellationToken.None);
    }

    [Fact]
    public async Task Candidate_is_judged_on_its_latest_summary_metrics_against_the_Production_version()
    {
        var tag = $"t{Guid.NewGuid():N}"[..12];
        var scenario = await PolicyScenario.CreateAsync(app, tag);
        await PolicyScenario.StoreAsync(app, "marketing", $$"""
            policy: {{tag}}
            applies-to: { kinds: [Model], tags: [{{tag}}], targets: [Production] }
            rules:
              - metric: accuracy
                at-least: baseline + 0.01
              - fairness: { metric: recall, slice-key: sex, max-difference: 0.05 }
              - model-card: { sections: [intended-use, limitations, ethical-considerations] }
              - lineage: { requires: [dataset-version, git-commit] }
              - golden-check: { passed-within-days: 7 }
              - approvals: [{ count: 1, role: Approver }, { count: 1, role: Approver, team: risk }]
            """);

        var evaluation = await EvaluateAsync(scenario.CandidateId, "Production", new ApprovalFact("amara", "marketing", TeamRole.Approver));
        var mine = evaluation.Results.Where(r => r.Policy == tag).ToDictionary(r => r.Rule);

        var accuracy = mine["accuracy at-least baseline + 0.01"];
        Assert.Equal(RuleOutcome.Pass, accuracy.Outcome);
        Assert.Equal(("0.884", "0.861", "0.871"), (accuracy.Values["candidate"], accuracy.Values["baseline"], accuracy.Values["required"]));
        Assert.Equal(RuleOutcome.Pass, mine.Values.Single(r => r.Kind == "fairness").Outcome);
        Assert.Equal("ethical-considerations", mine.Values.Single(r => r.Kind == "model-card").Values["missing"]);
        Assert.Equal(RuleOutcome.Pass, mine.Values.Single(r => r.Kind == "lineage").Outcome);
        var golden = mine.Values.Single(r => r.Kind == "golden-check");
        Assert.Equal(RuleOutcome.Fail, golden.Outcome);
        Assert.Contains("no golden check", golden.Explanation);
        Assert.Equal("1 of 1 Approver approvals from marketing.", mine["1 Approver approval(s)"].Explanation);
        Assert.Contains(new ApprovalRequirement(1, TeamRole.Approver, "risk"), evaluation.RequiredApprovals);
    }

    [Fact]
    public async Task A_policy_for_other_tags_or_targets_is_not_selected()
    {
        var tag = $"t{Guid.NewGuid():N}"[..12];
        var scenario = await PolicyScenario.CreateAsync(app);
        await PolicyScenario.StoreAsync(app, "marketing", $"policy: {tag}\napplies-to: {{ tags: [{tag}] }}\nrules:\n  - tags: {{ required: [x] }}\n");

        var evaluation = await EvaluateAsync(scenario.CandidateId, "Staging");

        Assert.DoesNotContain(evaluation.Results, r => r.Policy == tag);
    }

    [Fact]
    public async Task Only_the_latest_revision_of_a_policy_is_evaluated()
    {
        var tag = $"t{Guid.NewGuid():N}"[..12];
        var scenario = await PolicyScenario.CreateAsync(app, tag);
        await PolicyScenario.StoreAsync(app, "marketing", $"policy: {tag}\napplies-to: {{ tags: [{tag}] }}\nrules:\n  - tags: {{ required: [old] }}\n", 1);
        await PolicyScenario.StoreAsync(app, "marketing", $"policy: {tag}\napplies-to: {{ tags: [{tag}] }}\nrules:\n  - tags: {{ required: [{tag}] }}\n", 2);

        var evaluation = await EvaluateAsync(scenario.CandidateId, "Staging");

        var result = Assert.Single(evaluation.Results, r => r.Policy == tag);
        Assert.Equal((2, RuleOutcome.Pass), (result.PolicyRevision, result.Outcome));
    }

    [Fact]
    public async Task The_Production_version_has_no_baseline_of_its_own()
    {
        var tag = $"t{Guid.NewGuid():N}"[..12];
        var scenario = await PolicyScenario.CreateAsync(app, tag);
        await PolicyScenario.StoreAsync(app, "marketing", $"policy: {tag}\napplies-to: {{ tags: [{tag}] }}\nrules:\n  - metric: accuracy\n    at-least: baseline\n");

        var evaluation = await EvaluateAsync(scenario.ProductionId, "alias:champion");

        Assert.Equal(RuleOutcome.NotApplicable, Assert.Single(evaluation.Results, r => r.Policy == tag).Outcome);
    }
}
