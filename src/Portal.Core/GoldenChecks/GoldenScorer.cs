namespace Portal.Core.GoldenChecks;

/// <summary>What a model answered for each golden row: classes (with the positive class's score when it gives one) or numbers.</summary>
public sealed record Predictions(IReadOnlyList<string>? Classes, IReadOnlyList<double>? PositiveScores, IReadOnlyList<double>? Values)
{
    public int Count => Classes?.Count ?? Values?.Count ?? 0;
}

/// <summary>One computed figure: overall (empty slice), per group (<c>region=EU</c>), or across a slice column (<c>region</c>) for fairness.</summary>
public sealed record GoldenFigure(string Metric, string Slice, double Value, string? Note = null);

/// <summary>Computes a check's metrics from labels and predictions, overall, per slice value and across slice columns.</summary>
public static class GoldenScorer
{
    public static IReadOnlyList<GoldenFigure> Score(IReadOnlyList<string> metrics, IReadOnlyList<string> labels, Predictions predictions,
        IReadOnlyDictionary<string, IReadOnlyList<string>> sliceColumns, string? positiveClass)
    {
        if (predictions.Count != labels.Count)
            throw new InvalidOperationException($"The model answered {predictions.Count} rows for {labels.Count} golden rows.");
        var all = Enumerable.Range(0, labels.Count).ToArray();
        var figures = new List<GoldenFigure>();
        var groups = sliceColumns.SelectMany(c => c.Value.Select((v, i) => (Slice: $"{c.Key}={v}", Row: i)))
            .GroupBy(x => x.Slice, x => x.Row).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var name in metrics)
        {
            var metric = GoldenMetricCatalog.Find(name) ?? throw new InvalidOperationException($"Unknown metric {name}.");
            if (metric.Fairness)
            {
                foreach (var (column, values) in sliceColumns)
                    figures.Add(new GoldenFigure(name, column, Finite(Spread(metric, labels, predictions, values, positiveClass!))));
                continue;
            }
            figures.Add(new GoldenFigure(name, "", Finite(Compute(metric, labels, predictions, all, positiveClass))));
            foreach (var group in groups)
                figures.Add(new GoldenFigure(name, group.Key, Finite(Compute(metric, labels, predictions, group.ToArray(), positiveClass))));
        }
        return figures;
    }

    /// <summary>An infinite figure (a label of "Infinity", an error that overflows) is one that could not be computed, judged as such.</summary>
    private static double Finite(double value) => double.IsInfinity(value) ? double.NaN : value;

    private static double Compute(GoldenMetricInfo metric, IReadOnlyList<string> labels, Predictions p, int[] rows, string? positive) => metric.Name switch
    {
        GoldenMetricCatalog.Accuracy => rows.Count(i => Classes(p)[i] == labels[i]) / (double)rows.Length,
        GoldenMetricCatalog.MacroF1 => MacroF1(labels, Classes(p), rows),
        GoldenMetricCatalog.Precision => Ratio(rows.Count(i => Classes(p)[i] == positive && labels[i] == positive), rows.Count(i => Classes(p)[i] == positive)),
        GoldenMetricCatalog.Recall => Ratio(rows.Count(i => Classes(p)[i] == positive && labels[i] == positive), rows.Count(i => labels[i] == positive)),
        GoldenMetricCatalog.Auc => Auc(labels, p.PositiveScores ?? throw new InvalidOperationException("AUC needs the model's score for the positive class."), rows, positive!),
        GoldenMetricCatalog.Rmse => Math.Sqrt(rows.Average(i => Math.Pow(Values(p)[i] - Number(labels[i]), 2))),
        GoldenMetricCatalog.Mae => rows.Average(i => Math.Abs(Values(p)[i] - Number(labels[i]))),
        _ => throw new InvalidOperationException($"{metric.Name} is not computed per row set."),
    };

    /// <summary>The largest difference between groups of one column: in the share predicted positive, or in recall.</summary>
    private static double Spread(GoldenMetricInfo metric, IReadOnlyList<string> labels, Predictions p, IReadOnlyList<string> groupOf, string positive)
    {
        var rates = Enumerable.Range(0, labels.Count).GroupBy(i => groupOf[i]).Select(g => metric.Name == GoldenMetricCatalog.DemographicParity
                ? Ratio(g.Count(i => Classes(p)[i] == positive), g.Count())
                : Ratio(g.Count(i => Classes(p)[i] == positive && labels[i] == positive), g.Count(i => labels[i] == positive)))
            .Where(r => !double.IsNaN(r)).ToList();
        return rates.Count < 2 ? 0 : rates.Max() - rates.Min();
    }

    private static double MacroF1(IReadOnlyList<string> labels, IReadOnlyList<string> predicted, int[] rows)
    {
        var classes = rows.Select(i => labels[i]).Concat(rows.Select(i => predicted[i])).Distinct(StringComparer.Ordinal).ToList();
        return classes.Average(c =>
        {
            var tp = rows.Count(i => predicted[i] == c && labels[i] == c);
            var fp = rows.Count(i => predicted[i] == c && labels[i] != c);
            var fn = rows.Count(i => predicted[i] != c && labels[i] == c);
            return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        });
    }

    /// <summary>The Mann–Whitney form: the chance a random positive row scores above a random negative one, ties counting half.</summary>
    private static double Auc(IReadOnlyList<string> labels, IReadOnlyList<double> scores, int[] rows, string positive)
    {
        var ranked = rows.OrderBy(i => scores[i]).ToArray();
        double rankSumPositive = 0;
        for (var start = 0; start < ranked.Length;)
        {
            var end = start;
            while (end + 1 < ranked.Length && scores[ranked[end + 1]].Equals(scores[ranked[start]]))
                end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                if (labels[ranked[k]] == positive)
                    rankSumPositive += averageRank;
            start = end + 1;
        }
        long positives = rows.Count(i => labels[i] == positive), negatives = rows.Length - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? double.NaN : numerator / (double)denominator;

    private static IReadOnlyList<string> Classes(Predictions p) => p.Classes ?? throw new InvalidOperationException("This metric needs predicted classes.");
    private static IReadOnlyList<double> Values(Predictions p) => p.Values ?? throw new InvalidOperationException("This metric needs predicted numbers.");

    private static double Number(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidOperationException($"The label '{text}' is not a number.");
}
