using static Portal.Core.Policies.PolicyNumbers;

namespace Portal.Core.Policies;

public enum ThresholdBasis
{
    Absolute,
    BaselinePlus,
    BaselineTimes,
}

/// <summary>A bound written as a number (<c>0.8</c>), <c>baseline + 0.01</c>, <c>baseline - 0.02</c> or <c>baseline * 1.01</c>.</summary>
public sealed record Threshold(ThresholdBasis Basis, double Operand)
{
    public bool NeedsBaseline => Basis != ThresholdBasis.Absolute;

    public double Resolve(double baseline) => Basis switch
    {
        ThresholdBasis.Absolute => Operand,
        ThresholdBasis.BaselinePlus => baseline + Operand,
        _ => baseline * Operand,
    };

    public override string ToString() => Basis switch
    {
        ThresholdBasis.Absolute => Format(Operand),
        ThresholdBasis.BaselinePlus when Operand < 0 => $"baseline - {Format(-Operand)}",
        ThresholdBasis.BaselinePlus => $"baseline + {Format(Operand)}",
        _ => $"baseline * {Format(Operand)}",
    };
}

/// <summary>A metric of the candidate within bounds, absolute or relative to the Production version.</summary>
public sealed record MetricRule(string Metric, string Slice, Threshold? AtLeast, Threshold? AtMost) : PolicyRule
{
    public override string Kind => "metric";
    private string Label => Slice.Length == 0 ? Metric : $"{Metric} [{Slice}]";

    private string Bounds => string.Join(", ", new[] { AtLeast is null ? null : $"at-least {AtLeast}", AtMost is null ? null : $"at-most {AtMost}" }.OfType<string>());
    public override string Text => $"{Label} {Bounds}";
    public override FactNeeds Reads => FactNeeds.Metric(Metric, baseline: AtLeast?.NeedsBaseline == true || AtMost?.NeedsBaseline == true);

    public override RuleVerdict Evaluate(VersionFacts facts)
    {
        var values = new Dictionary<string, string>();
        var needsBaseline = AtLeast?.NeedsBaseline == true || AtMost?.NeedsBaseline == true;
        if (needsBaseline && facts.Baseline is null)
            return RuleVerdict.NotApplicable($"No Production version yet: {Label} has no baseline to compare with.", values);
        if (!facts.Metrics.TryGetValue((Metric, Slice), out var candidate))
            return RuleVerdict.Fail($"This version has no {Label} value.", values);
        values["candidate"] = Format(candidate.Value);
        values["source"] = candidate.Source.ToString();
        var baseline = 0.0;
        if (needsBaseline)
        {
            values["baseline-version"] = facts.Baseline!.Version;
            if (!facts.Baseline.Metrics.TryGetValue((Metric, Slice), out var production))
                return RuleVerdict.NotApplicable($"The Production version {facts.Baseline.Version} has no {Label} value to compare with.", values);
            baseline = production.Value;
            values["baseline"] = Format(baseline);
        }
        var failures = new List<string>();
        if (AtLeast is not null)
        {
            var required = AtLeast.Resolve(baseline);
            values["required"] = Format(required);
            if (candidate.Value < required - Tolerance)
                failures.Add($"{Label} {Format(candidate.Value)} is below the required {Format(required)} ({AtLeast})");
        }
        if (AtMost is not null)
        {
            var limit = AtMost.Resolve(baseline);
            values["limit"] = Format(limit);
            if (candidate.Value > limit + Tolerance)
                failures.Add($"{Label} {Format(candidate.Value)} is above the limit {Format(limit)} ({AtMost})");
        }
        return failures.Count > 0
            ? RuleVerdict.Fail(string.Join("; ", failures) + ".", values)
            : RuleVerdict.Pass($"{Label} {Format(candidate.Value)} meets {Bounds}.", values);
    }

    public override string? WeakenedBy(PolicyRule teamRule)
    {
        if (teamRule is not MetricRule team || team.Metric != Metric || team.Slice != Slice)
            return null;
        // Bounds of different forms (absolute against relative) are not comparable; both rules are evaluated anyway.
        if (AtLeast is not null && team.AtLeast is not null && team.AtLeast.Basis == AtLeast.Basis && team.AtLeast.Operand < AtLeast.Operand - Tolerance)
            return $"lowers {Label} at-least from {AtLeast} to {team.AtLeast}";
        if (AtMost is not null && team.AtMost is not null && team.AtMost.Basis == AtMost.Basis && team.AtMost.Operand > AtMost.Operand + Tolerance)
            return $"raises {Label} at-most from {AtMost} to {team.AtMost}";
        return null;
    }
}

/// <summary>The spread of one metric across the slices of one key (e.g. recall for sex=female and sex=male) stays within a bound.</summary>
public sealed record FairnessRule(string Metric, string SliceKey, double MaxDifference) : PolicyRule
{
    public override string Kind => "fairness";
    public override string Text => $"{Metric} across {SliceKey} slices differs by at most {Format(MaxDifference)}";
    public override FactNeeds Reads => FactNeeds.Metric(Metric);

    public override RuleVerdict Evaluate(VersionFacts facts)
    {
        var values = new Dictionary<string, string> { ["max-difference"] = Format(MaxDifference) };
        // Only slices of this key alone: a combined slice (sex=female,region=eu) measures something else.
        var slices = facts.Metrics
            .Where(m => m.Key.Name == Metric && m.Key.Slice.StartsWith(SliceKey + "=", StringComparison.Ordinal) && !m.Key.Slice.Contains(','))
            .Select(m => (m.Key.Slice, m.Value.Value))
            .OrderBy(s => s.Value)
            .ToList();
        values["slices"] = slices.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (slices.Count < 2)
            return RuleVerdict.Fail($"The bound needs {Metric} for at least two {SliceKey} slices; this version has {slices.Count}.", values);
        var (lowSlice, low) = slices[0];
        var (highSlice, high) = slices[^1];
        var difference = high - low;
        values["lowest"] = $"{lowSlice}: {Format(low)}";
        values["highest"] = $"{highSlice}: {Format(high)}";
        values["difference"] = Format(difference);
        return difference <= MaxDifference + Tolerance
            ? RuleVerdict.Pass($"{Metric} differs by {Format(difference)} across {SliceKey} slices, within {Format(MaxDifference)}.", values)
            : RuleVerdict.Fail($"{Metric} differs by {Format(difference)} between {highSlice} and {lowSlice}, more than {Format(MaxDifference)}.", values);
    }

    public override string? WeakenedBy(PolicyRule teamRule) =>
        teamRule is FairnessRule team && team.Metric == Metric && team.SliceKey == SliceKey && team.MaxDifference > MaxDifference + Tolerance
            ? $"loosens the {Metric} bound across {SliceKey} slices from {Format(MaxDifference)} to {Format(team.MaxDifference)}"
            : null;
}
