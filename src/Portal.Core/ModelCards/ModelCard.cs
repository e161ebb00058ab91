namespace Portal.Core.ModelCards;

/// <summary>The sections of a model card (Mitchell et al., "Model Cards for Model Reporting").</summary>
public static class ModelCardSections
{
    public static readonly IReadOnlyList<(string Key, string Title, string Hint)> All =
    [
        ("intendedUse", "Intended use", "What the model is for, and the decisions it supports."),
        ("intendedUsers", "Intended users", "Who should use it, and with what expertise."),
        ("outOfScopeUses", "Out-of-scope uses", "Uses it was not built or tested for."),
        ("trainingData", "Training data", "Which data version, how it was collected and prepared."),
        ("evaluationData", "Evaluation data", "Held-out data used to measure it, and why it is representative."),
        ("metricsBySlice", "Metrics by slice", "Performance overall and for relevant groups (e.g. sex, region, age)."),
        ("limitations", "Limitations", "Known weaknesses and conditions where it fails."),
        ("ethicalConsiderations", "Ethical considerations", "Risks of harm, fairness concerns and mitigations."),
        ("caveats", "Caveats and recommendations", "What users should keep in mind."),
    ];

    public static bool IsKnown(string key) => All.Any(s => s.Key == key);

    /// <summary>Whether a section has substantive text (at least 20 characters): what completeness and the policy rule count.</summary>
    public static bool IsFilled(IReadOnlyDictionary<string, string> sections, string key) =>
        sections.TryGetValue(key, out var text) && text.Trim().Length >= 20;

    /// <summary>The share of sections with substantive text, 0 to 100.</summary>
    public static int Completeness(IReadOnlyDictionary<string, string> sections) =>
        (int)Math.Round(100.0 * All.Count(s => IsFilled(sections, s.Key)) / All.Count);
}

/// <summary>One saved state of a version's model card; every save is a new revision, none is ever changed.</summary>
public sealed class ModelCardRevision
{
    public const int MaxSectionLength = 20_000;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid VersionId { get; set; }
    public int Number { get; set; }
    public Dictionary<string, string> Sections { get; set; } = [];
    public int Completeness { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}
