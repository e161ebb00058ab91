using Portal.Core.Assets;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.UnitTests.Policies;

/// <summary>A candidate version's facts for rule tests: a Marketing model with a Production baseline unless told otherwise.</summary>
internal static class Facts
{
    public static Dictionary<(string Name, string Slice), MetricValue> Metrics(params (string Name, string Slice, double Value)[] values) =>
        values.ToDictionary(v => (v.Name, v.Slice), v => new MetricValue(v.Value, MetricSource.Evaluation));

    public static VersionFacts Candidate(
        Dictionary<(string Name, string Slice), MetricValue>? metrics = null,
        Dictionary<(string Name, string Slice), MetricValue>? baseline = null,
        bool noBaseline = false,
        Dictionary<string, string>? modelCard = null,
        string? gitCommit = "4f2a9c1",
        int datasetEdges = 1,
        string[]? tags = null,
        ApprovalFact[]? approvals = null) =>
        new("marketing", AssetKind.Model, (tags ?? ["customer-facing"]).ToHashSet(), gitCommit, datasetEdges, modelCard,
            metrics ?? Metrics(("accuracy", "", 0.884)),
            noBaseline ? null : new BaselineFacts("1.2.0", baseline ?? Metrics(("accuracy", "", 0.861))),
            approvals ?? []);

    public static ApprovalFact Approval(string actor, string team, TeamRole role = TeamRole.Approver) => new(actor, team, role);
}
