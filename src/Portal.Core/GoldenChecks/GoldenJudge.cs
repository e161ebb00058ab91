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
        findings.AddRange(Unreported(check, figures));
        return findings;
    }

    /// <summary>
    /// A bound with no figure to hold against it fails: a runner that leaves a figure out (an external one, or one that could not
    /// compute it) never passes on what it did not report.
    /// </summary>
    private static IEnumerable<GoldenFinding> Unreported(GoldenCheck check, IReadOnlyList<GoldenFigure> figures)
    {
        var reported = figures.Select(f => (f.Metric, f.Slice)).ToHashSet();
        foreach (var (name, bound) in check.Thresholds)
        {
            var metric = GoldenMetricCatalog.Find(name);
            IEnumerable<string> slices = metric?.Fairness == true ? check.SliceColumns : [""];
            foreach (var slice in slices.Where(s => !reported.Contains((name, s))))
                yield return new GoldenFinding(name, slice, 0, bound, null, false, "Not reported: the check holds this figure to a bound, and a missing figure never passes.");
        }
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
