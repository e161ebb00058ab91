using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Assets;
using Portal.Core.Policies;
using Portal.Core.Teams;

namespace Portal.Core.Lifecycle;

public sealed record DecisionView(bool Approved, string Comment, string By, string Team, TeamRole Role, DateTimeOffset At);

public sealed record TransitionView(long Id, string Team, string Asset, AssetKind Kind, string Version, string Target, string Justification,
    TransitionState State, string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, string? ClosedBy, string? CloseReason,
    bool IsRollbackReview, IReadOnlyList<RuleResult> Evaluation, IReadOnlyList<RuleResult>? ApplyEvaluation,
    IReadOnlyList<ApprovalRequirement> RequiredApprovals, IReadOnlyList<DecisionView> Decisions, int Revision)
{
    /// <summary>The latest rule results: those of the last decision when there was one.</summary>
    public IReadOnlyList<RuleResult> LatestEvaluation => ApplyEvaluation ?? Evaluation;
}

/// <summary>Rule results and approval requirements are kept on the request as JSON, the same on every database.</summary>
internal static class LifecycleJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static IReadOnlyList<T> ReadList<T>(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<T>>(json, Json) ?? [];
}
