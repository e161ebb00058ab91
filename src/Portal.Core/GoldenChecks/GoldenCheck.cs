namespace Portal.Core.GoldenChecks;

/// <summary>
/// How an asset's versions are checked against held data: which golden dataset file, which columns,
/// which metrics with which bounds, how far below the Production version a candidate may fall, and when
/// it runs. One asset may have several (e.g. one per market).
/// </summary>
public sealed class GoldenCheck
{
    /// <summary>The name's column: narrower than a slug may be, so the input says so before the database would.</summary>
    public const int MaxNameLength = 60;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TeamId { get; set; }
    public Guid AssetId { get; set; }
    /// <summary>A slug, unique within the asset.</summary>
    public required string Name { get; set; }
    /// <summary>The exact dataset version whose file holds the golden rows (or, for a prompt template, the cases).</summary>
    public Guid DatasetVersionId { get; set; }
    /// <summary>The file inside that version: <c>.csv</c> or <c>.parquet</c> for models, <c>.jsonl</c> for prompt cases.</summary>
    public required string DatasetPath { get; set; }
    /// <summary>The column holding the true value (class or number); unused for prompt templates.</summary>
    public string? LabelColumn { get; set; }
    /// <summary>The columns fed to a model with a single multi-column input, in its order; empty when inputs are matched by name.</summary>
    public List<string> FeatureColumns { get; set; } = [];
    /// <summary>Columns whose values split the figures (<c>region</c> gives <c>region=EU</c>...) and across which fairness is measured.</summary>
    public List<string> SliceColumns { get; set; } = [];
    /// <summary>Metric names from <see cref="GoldenMetricCatalog"/>.</summary>
    public List<string> Metrics { get; set; } = [];
    /// <summary>For precision, recall, AUC and the fairness figures: which class counts as the positive outcome.</summary>
    public string? PositiveClass { get; set; }
    /// <summary>Metric name to bound: a minimum for metrics where higher is better, a maximum for errors and differences.</summary>
    public Dictionary<string, double> Thresholds { get; set; } = [];
    /// <summary>How far a candidate may fall behind the current Production version's latest golden figure; null compares nothing.</summary>
    public double? MaxDropFromProduction { get; set; }
    /// <summary>A five-field cron expression (UTC), or null to run only on demand and when a version becomes Ready.</summary>
    public string? Cron { get; set; }
    public int TimeoutSeconds { get; set; } = 120;
    public int MemoryLimitMb { get; set; } = 512;
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Revision { get; set; } = 1;
}

/// <summary>The outcome of one golden-check run: written once, in the run's final transaction, with its metrics.</summary>
public sealed class GoldenCheckResult
{
    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>Unique: a run re-played after a crash can never store a second result set.</summary>
    public Guid RunId { get; set; }
    public Guid CheckId { get; set; }
    public Guid TeamId { get; set; }
    public Guid AssetId { get; set; }
    public Guid VersionId { get; set; }
    public required string Version { get; set; }
    public Guid DatasetVersionId { get; set; }
    public required string DatasetVersion { get; set; }
    public required string DatasetSha256 { get; set; }
    public required string ModelSha256 { get; set; }
    /// <summary><c>onnx</c>, <c>mlnet</c>, <c>prompt</c> or <c>external</c>.</summary>
    public required string Runtime { get; set; }
    public long RowCount { get; set; }
    public long DurationMs { get; set; }
    /// <summary>Of <see cref="DurationMs"/>, the time spent inside the model runtime itself.</summary>
    public long RuntimeMs { get; set; }
    public bool Passed { get; set; }
    public List<GoldenFinding> Findings { get; set; } = [];
    public DateTimeOffset CompletedAt { get; set; }
}

/// <summary>One figure of a run and, when it is judged, the bound or Production value it was held against.</summary>
public sealed record GoldenFinding(string Metric, string Slice, double Value, double? Bound, double? Production, bool Passed, string Explanation);
