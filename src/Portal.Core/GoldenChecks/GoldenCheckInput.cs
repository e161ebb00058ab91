using Cronos;
using Portal.Core.Common;

namespace Portal.Core.GoldenChecks;

/// <summary>A golden check as a form or the API sends it. The dataset is named by team-local asset name and exact version.</summary>
public sealed record GoldenCheckInput(
    string Name,
    string DatasetAsset,
    string DatasetVersion,
    string DatasetPath,
    string? LabelColumn,
    IReadOnlyList<string>? FeatureColumns,
    IReadOnlyList<string>? SliceColumns,
    IReadOnlyList<string> Metrics,
    string? PositiveClass,
    IReadOnlyDictionary<string, double>? Thresholds,
    double? MaxDropFromProduction,
    string? Cron,
    int? TimeoutSeconds,
    int? MemoryLimitMb,
    bool Enabled = true)
{
    public const int MaxColumns = 200;

    /// <summary>Every field's problems at once, so a form can show them all; empty when the input is valid for an asset of this kind.</summary>
    public Dictionary<string, string[]> Problems(Assets.AssetKind kind)
    {
        var p = new Dictionary<string, string[]>();
        if (!Slug.IsValid(Name) || Name.Length > GoldenCheck.MaxNameLength)
            p["name"] = [$"Lower-case letters, digits and hyphens, starting with a letter (e.g. holdout-2026), at most {GoldenCheck.MaxNameLength} characters."];
        if (string.IsNullOrWhiteSpace(DatasetAsset) || Names.Problem(DatasetAsset, 200) is not null)
            p["datasetAsset"] = ["Name the dataset asset of this team that holds the golden data."];
        if (string.IsNullOrWhiteSpace(DatasetPath) || Names.Problem(DatasetPath, 500) is not null)
            p["datasetPath"] = ["The golden file inside the dataset version, e.g. golden.csv."];
        var prompt = kind == Assets.AssetKind.PromptTemplate;
        var extension = Path.GetExtension(DatasetPath ?? "").ToLowerInvariant();
        if (!p.ContainsKey("datasetPath") && (prompt ? extension != ".jsonl" : extension is not (".csv" or ".parquet")))
            p["datasetPath"] = [prompt ? "Prompt cases are a .jsonl file, one case per line." : "Golden rows are a .csv or .parquet file."];
        var metrics = Metrics ?? [];
        var unknown = metrics.Where(m => GoldenMetricCatalog.Find(m) is null).ToList();
        var wrongTask = metrics.Select(GoldenMetricCatalog.Find).Where(m => m is not null && (m.Task == GoldenTask.Prompt) != prompt).Select(m => m!.Name).ToList();
        if (metrics.Count == 0 || unknown.Count > 0 || wrongTask.Count > 0 || metrics.Distinct().Count() != metrics.Count)
            p["metrics"] = [metrics.Count == 0 ? "Choose at least one metric."
                : unknown.Count > 0 ? $"Unknown metrics: {string.Join(", ", unknown)}."
                : wrongTask.Count > 0 ? $"Not for {(prompt ? "prompt templates" : "models")}: {string.Join(", ", wrongTask)}."
                : "Each metric once."];
        var catalog = metrics.Select(GoldenMetricCatalog.Find).OfType<GoldenMetricInfo>().ToList();
        if (catalog.Any(m => m.Task == GoldenTask.Classification) && catalog.Any(m => m.Task == GoldenTask.Regression))
            p["metrics"] = ["Classification and regression metrics cannot be mixed in one check."];
        if (!prompt && !IsColumn(LabelColumn))
            p["labelColumn"] = ["The column holding the true class or value."];
        if (catalog.Any(m => m.NeedsPositiveClass) && (string.IsNullOrWhiteSpace(PositiveClass) || PositiveClass.Length > 200 || Names.HasUnsafeCharacters(PositiveClass)))
            p["positiveClass"] = ["Precision, recall, AUC and the fairness figures need the positive class (e.g. 1 or churned)."];
        if (catalog.Any(m => m.Fairness) && (SliceColumns ?? []).Count == 0)
            p["sliceColumns"] = ["Fairness figures compare the groups of slice columns: name at least one."];
        Columns(p, "featureColumns", FeatureColumns);
        Columns(p, "sliceColumns", SliceColumns);
        var thresholds = Thresholds ?? new Dictionary<string, double>();
        if (thresholds.Keys.Except(metrics).ToList() is { Count: > 0 } stray)
            p["thresholds"] = [$"Bounds for metrics the check does not compute: {string.Join(", ", stray)}."];
        else if (thresholds.Values.Any(v => double.IsNaN(v) || double.IsInfinity(v)))
            p["thresholds"] = ["Bounds are finite numbers."];
        if (MaxDropFromProduction is { } drop && (drop < 0 || drop > 1_000_000 || double.IsNaN(drop)))
            p["maxDropFromProduction"] = ["A non-negative number, e.g. 0.01 for one point of accuracy."];
        if (Cron is { Length: > 0 } cron && (cron.Length > 100 || !TryCron(cron)))
            p["cron"] = ["A five-field cron expression in UTC, e.g. 0 3 * * * for 03:00 every day."];
        if (TimeoutSeconds is { } t && t is < 5 or > 3600)
            p["timeoutSeconds"] = ["Between 5 and 3600 seconds."];
        if (MemoryLimitMb is { } m && m is < 32 or > 8192)
            p["memoryLimitMb"] = ["Between 32 and 8192 MB."];
        return p;
    }

    public static bool TryCron(string cron)
    {
        try
        {
            CronExpression.Parse(cron, CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }

    private static bool IsColumn(string? column) => !string.IsNullOrWhiteSpace(column) && column.Length <= 200 && !Names.HasUnsafeCharacters(column);

    private static void Columns(Dictionary<string, string[]> p, string field, IReadOnlyList<string>? columns)
    {
        if (columns is { } list && (list.Count > MaxColumns || list.Any(c => !IsColumn(c)) || list.Distinct().Count() != list.Count))
            p[field] = [$"Up to {MaxColumns} distinct column names."];
    }
}
