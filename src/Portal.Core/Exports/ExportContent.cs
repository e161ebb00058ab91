using Portal.Core.Policies;

namespace Portal.Core.Exports;

/// <summary>Who asked for an export, when it was made and what it covers: the first thing in every export.</summary>
public sealed record ExportHeader(Guid ExportId, ExportKind Kind, string IssuedTo, DateTimeOffset GeneratedAt, string Scope);

public sealed record DossierAsset(string Team, string Name, string Kind, string Description, string Owner, IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt, string CreatedBy, IReadOnlyList<string> SharedWith);

public sealed record DossierModelCard(string Version, int Revision, int Completeness, DateTimeOffset SavedAt, string SavedBy,
    IReadOnlyList<KeyValuePair<string, string>> Sections);

public sealed record DossierVersion(string Version, string Status, string Stage, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? FinalizedAt,
    string Description, IReadOnlyList<string> Tags, string? GitRepository, string? GitCommit, string? ContainerImageDigest, int? ModelCardCompleteness,
    IReadOnlyList<string> Aliases);

public sealed record DossierStageChange(string Version, string From, string To, DateTimeOffset At, string By, long? RequestId, string Reason);

/// <summary>An edge into (upstream) or out of (downstream) one of the asset's versions.</summary>
public sealed record DossierLineage(string Version, string Direction, string Kind, string Other);

/// <summary>The latest value of a metric for one version, slice and source.</summary>
public sealed record DossierMetric(string Version, string Name, string Slice, string Source, double Value, DateTimeOffset RecordedAt);

public sealed record DossierDecision(bool Approved, string By, string Team, string Role, string Comment, DateTimeOffset At);

public sealed record DossierTransition(long Id, string Version, string Target, string State, string RequestedBy, DateTimeOffset RequestedAt,
    string Justification, DateTimeOffset? ClosedAt, string? ClosedBy, string? CloseReason, bool IsRollbackReview,
    IReadOnlyList<DossierDecision> Decisions, IReadOnlyList<RuleResult> PolicyResults);

/// <summary>
/// One audit event of the asset: <see cref="Hash"/> is its link in the hash chain; <see cref="InclusionProof"/> its RFC 6962 audit path
/// (hex, leaf to root) against the dossier's checkpoint, null when the event is newer than that checkpoint.
/// </summary>
public sealed record ExportAuditEvent(long Sequence, DateTimeOffset OccurredAt, string Actor, string Action, string Subject, string? Before, string? After,
    string? Hash)
{
    public long? LeafIndex { get; init; }
    public string? LeafHash { get; init; }
    public IReadOnlyList<string>? InclusionProof { get; init; }
}

/// <summary>What a reader needs to check the events offline: the chain's state, the covering checkpoint, proofs and the verification result.</summary>
public sealed record DossierIntegrity(string Status, IReadOnlyList<KeyValuePair<string, string>> Facts)
{
    /// <summary>The tree size of the covering checkpoint, which the inclusion proofs are against.</summary>
    public long? CheckpointTreeSize { get; init; }

    /// <summary>
    /// Every subtree hash the covered events' audit paths use, once, by the leaves it spans (the printed dossier's proof
    /// table; the JSON edition spells each event's path instead). Null without a checkpoint or when a path is malformed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<(long Start, long End), string>? ProofSubtrees { get; init; }
}

/// <summary>One golden-check run on a version: what data and model it ran, and what was not met.</summary>
public sealed record DossierGoldenRun(string Version, string Check, bool Passed, DateTimeOffset CompletedAt, string DatasetVersion, string DatasetSha256,
    string ModelSha256, string Runtime, long RowCount, IReadOnlyList<string> NotMet);

public sealed record DossierContent(ExportHeader Export, DossierAsset Asset, DossierModelCard? ModelCard, IReadOnlyList<DossierVersion> Versions,
    IReadOnlyList<DossierStageChange> StageHistory, IReadOnlyList<DossierLineage> Lineage, IReadOnlyList<DossierMetric> Metrics,
    IReadOnlyList<DossierGoldenRun> GoldenRuns, IReadOnlyList<DossierTransition> Transitions, IReadOnlyList<ExportAuditEvent> AuditEvents, DossierIntegrity Integrity);

/// <summary>One section of a period report: the events of a kind, with what each one changed.</summary>
public sealed record ReportSection(string Key, string Title, IReadOnlyList<ReportEntry> Entries);

public sealed record ReportEntry(long Sequence, DateTimeOffset At, string Actor, string Action, string Team, string Subject, string Details);

public sealed record PeriodReportContent(ExportHeader Export, string Team, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReportSection> Sections);
