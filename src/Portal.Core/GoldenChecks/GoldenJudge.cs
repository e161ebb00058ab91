using System.Globalization;

namespace Portal.Core.GoldenChecks;

/// <summary>Holds a run's figures against the check's bounds and the Production version's latest golden figures.</summary>
public static class GoldenJudge
{
    public static IReadOnlyList<GoldenFinding> Judge(GoldenCheck check, IReadOnlyList<GoldenFigure> figures, IReadOnlyDictionary<string, double>? production)
    {
        var findings = new List<GoldenFinding>();
        foreach (var figure in figures)
        {
            var metric = GoldenMetricCatalog.Find(figure.Metric)!;
            // Bounds apply to the whole set and to fairness spreads; per-group figures are shown, not judged.
            var judged = figure.Slice.Length == 0 || metric.Fairness;
            double? bound = judged && check.Thresholds.TryGetValue(figure.Metric, out var b) ? b : null;
            double? baseline = judged && figure.Slice.Length == 0 && check.MaxDropFromProduction is not null && production is not null
                && production.TryGetValue(figure.Metric, out var p) ? p : null;
            if (double.IsNaN(figure.Value))
            {
                if (bound is not null || baseline is not null)
                    findings.Add(new GoldenFinding(figure.Metric, figure.Slice, 0, bound, baseline, false,
                        "Could not be computed on the golden rows (no row of the class it needs)."));
                continue;
            }
            var reasons = new List<string>();
            var passed = true;
            if (bound is { } limit)
            {
                var ok = GoldenMetricCatalog.Meets(metric, figure.Value, limit);
                passed &= ok;
                reasons.Add($"{F(figure.Value)} {(ok ? "meets" : "misses")} the bound {(metric.HigherIsBetter ? "≥" : "≤")} {F(limit)}");
            }
            if (baseline is { } prod)
            {
                var drop = check.MaxDropFromProduction!.Value;
                var floor = metric.HigherIsBetter ? prod - drop : prod + drop;
                var ok = GoldenMetricCatalog.Meets(metric, figure.Value, floor);
                passed &= ok;
                reasons.Add($"{(ok ? "within" : "beyond")} {F(drop)} of Production's {F(prod)}");
            }
            findings.Add(new GoldenFinding(figure.Metric, figure.Slice, figure.Value, bound, baseline, passed,
                reasons.Count == 0 ? figure.Note ?? "Recorded, not judged." : string.Join("; ", reasons) + "."));
        }
        return findings;
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
