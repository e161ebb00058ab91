namespace Portal.Core.GoldenChecks;

public enum GoldenTask
{
    Classification,
    Regression,
    Prompt,
}

/// <summary>A metric a golden check can compute: what it needs and which way is better.</summary>
/// <param name="Fairness">Measured across the groups of each slice column (the spread between the best and worst group), not per group.</param>
public sealed record GoldenMetricInfo(string Name, GoldenTask Task, bool HigherIsBetter, bool NeedsPositiveClass, bool Fairness, string Description);

public static class GoldenMetricCatalog
{
    public const string Accuracy = "accuracy";
    public const string MacroF1 = "macro-f1";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string Auc = "auc";
    public const string Rmse = "rmse";
    public const string Mae = "mae";
    public const string DemographicParity = "demographic-parity-difference";
    public const string EqualOpportunity = "equal-opportunity-difference";
    public const string PassRate = "pass-rate";

    public static readonly IReadOnlyList<GoldenMetricInfo> All =
    [
        new(Accuracy, GoldenTask.Classification, true, false, false, "share of rows whose predicted class is the label"),
        new(MacroF1, GoldenTask.Classification, true, false, false, "F1 averaged over classes, each class weighing the same"),
        new(Precision, GoldenTask.Classification, true, true, false, "of the rows predicted positive, the share that are"),
        new(Recall, GoldenTask.Classification, true, true, false, "of the positive rows, the share predicted positive"),
        new(Auc, GoldenTask.Classification, true, true, false, "area under the ROC curve of the positive-class score"),
        new(Rmse, GoldenTask.Regression, false, false, false, "root mean squared error"),
        new(Mae, GoldenTask.Regression, false, false, false, "mean absolute error"),
        new(DemographicParity, GoldenTask.Classification, false, true, true, "largest difference between groups in the share predicted positive"),
        new(EqualOpportunity, GoldenTask.Classification, false, true, true, "largest difference between groups in recall (true-positive rate)"),
        new(PassRate, GoldenTask.Prompt, true, false, false, "share of golden cases whose rendering meets every expectation"),
    ];

    private static readonly Dictionary<string, GoldenMetricInfo> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static GoldenMetricInfo? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>True when <paramref name="value"/> is within <paramref name="bound"/> in the metric's better direction.</summary>
    public static bool Meets(GoldenMetricInfo metric, double value, double bound) =>
        metric.HigherIsBetter ? value >= bound : value <= bound;
}
