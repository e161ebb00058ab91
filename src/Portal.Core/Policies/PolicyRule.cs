using System.Globalization;
using Portal.Core.Assets;
using Portal.Core.Versions;

namespace Portal.Core.Policies;

/// <summary>One rule of a policy document. Rules judge <see cref="VersionFacts"/> only, so they are tested without a database.</summary>
public abstract record PolicyRule
{
    /// <summary>The rule kind as written in the document, e.g. <c>metric</c> or <c>approvals</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The rule as one line of text, for results and messages.</summary>
    public abstract string Text { get; }

    public abstract RuleVerdict Evaluate(VersionFacts facts);

    /// <summary>The facts <see cref="Evaluate"/> reads beyond the version's own row: the gate reads nothing else from the database.</summary>
    public virtual FactNeeds Reads => FactNeeds.None;

    /// <summary>
    /// Called on a global rule: why <paramref name="teamRule"/> asks for less on the same subject, or null
    /// when it does not (different subject, tighter, or not comparable).
    /// </summary>
    public virtual string? WeakenedBy(PolicyRule teamRule) => null;
}

public sealed record RuleVerdict(RuleOutcome Outcome, string Explanation, IReadOnlyDictionary<string, string> Values)
{
    public static RuleVerdict Pass(string why, IReadOnlyDictionary<string, string> values) => new(RuleOutcome.Pass, why, values);
    public static RuleVerdict Fail(string why, IReadOnlyDictionary<string, string> values) => new(RuleOutcome.Fail, why, values);
    public static RuleVerdict NotApplicable(string why, IReadOnlyDictionary<string, string> values) => new(RuleOutcome.NotApplicable, why, values);
}

/// <summary>
/// Which facts a set of rules reads (metric names, the Production baseline, lineage, the model card, golden runs). A
/// version's facts are gathered for these only; a fact nobody reads keeps its empty value (0 datasets, no card, no runs).
/// </summary>
public sealed record FactNeeds(IReadOnlySet<string>? MetricNames, bool Baseline = false, bool Lineage = false, bool ModelCard = false, bool Golden = false)
{
    public static readonly FactNeeds None = new(new HashSet<string>());

    /// <summary>Every fact, every metric: what a dry run shows.</summary>
    public static readonly FactNeeds Everything = new(null, true, true, true, true);

    public static FactNeeds Metric(string name, bool baseline = false) => new(new HashSet<string>(StringComparer.Ordinal) { name }, baseline);

    public static FactNeeds Of(IEnumerable<PolicyRule> rules) => rules.Select(r => r.Reads).Aggregate(None, (all, one) => all.With(one));

    private FactNeeds With(FactNeeds other) => new(
        MetricNames is null || other.MetricNames is null ? null : MetricNames.Union(other.MetricNames).ToHashSet(StringComparer.Ordinal),
        Baseline || other.Baseline, Lineage || other.Lineage, ModelCard || other.ModelCard, Golden || other.Golden);
}

/// <summary>A metric's value as the rules use it, with where it came from.</summary>
public sealed record MetricValue(double Value, MetricSource Source);

/// <summary>The current Production version of the same asset, the baseline of relative metric rules.</summary>
public sealed record BaselineFacts(string Version, IReadOnlyDictionary<(string Name, string Slice), MetricValue> Metrics);

/// <summary>
/// What the rules know about a candidate version. <see cref="Metrics"/> holds one value per name and
/// slice (see <see cref="PolicyFacts"/> for which); <see cref="ModelCard"/> is null when no card was written.
/// </summary>
public sealed record VersionFacts(
    string Team,
    AssetKind Kind,
    IReadOnlySet<string> Tags,
    string? GitCommit,
    int DatasetEdges,
    IReadOnlyDictionary<string, string>? ModelCard,
    IReadOnlyDictionary<(string Name, string Slice), MetricValue> Metrics,
    BaselineFacts? Baseline,
    IReadOnlyList<ApprovalFact> Approvals,
    GoldenFacts? Golden = null);

/// <summary>
/// The version's golden checks as the gate sees them: how many checks the asset defines, the newest
/// run of each (passed or not, when), and the time the facts were read.
/// </summary>
public sealed record GoldenFacts(int Checks, IReadOnlyList<GoldenRunFact> Latest, DateTimeOffset AsOf);

public sealed record GoldenRunFact(string Check, bool Passed, DateTimeOffset CompletedAt);

internal static class PolicyNumbers
{
    /// <summary>
    /// Thresholds such as baseline + 0.01 are sums of binary fractions (0.861 + 0.01 = 0.87100000000000001):
    /// a candidate exactly at the written bound must pass, so comparisons allow this much.
    /// </summary>
    public const double Tolerance = 1e-9;

    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
