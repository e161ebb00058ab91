using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Core.Common;
using Portal.Core.Teams;
using YamlDotNet.RepresentationModel;

namespace Portal.Core.Policies;

/// <summary>The settings of each rule kind; see <see cref="PolicyReader"/> for how problems are reported.</summary>
internal static partial class RuleReaders
{
    [GeneratedRegex(@"^baseline\s*(?:([+*-])\s*([0-9]+(?:\.[0-9]+)?))?$", RegexOptions.CultureInvariant)]
    private static partial Regex BaselineExpression();

    public static MetricRule? Metric(PolicyReader r, YamlMappingNode map)
    {
        r.OnlyKeys(map, "a metric rule", "metric", "slice", "at-least", "at-most");
        var name = r.Text(PolicyReader.Get(map, "metric")!, "metric");
        var slice = PolicyReader.Get(map, "slice") is { } s ? r.Text(s, "slice") : "";
        var atLeast = PolicyReader.Get(map, "at-least") is { } least ? Bound(r, least) : null;
        var atMost = PolicyReader.Get(map, "at-most") is { } most ? Bound(r, most) : null;
        if (PolicyReader.Get(map, "at-least") is null && PolicyReader.Get(map, "at-most") is null)
            return r.Fail<MetricRule>(map, "a metric rule needs 'at-least' or 'at-most' (a number, or baseline + 0.01, baseline - 0.01, baseline * 1.01)");
        if (name is null || slice is null || (PolicyReader.Get(map, "at-least") is not null && atLeast is null) || (PolicyReader.Get(map, "at-most") is not null && atMost is null))
            return null;
        return new MetricRule(name, slice, atLeast, atMost);
    }

    private static Threshold? Bound(PolicyReader r, YamlNode node)
    {
        var text = (node as YamlScalarNode)?.Value?.Trim() ?? "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return new Threshold(ThresholdBasis.Absolute, number);
        if (BaselineExpression().Match(text) is { Success: true } m)
        {
            if (!m.Groups[1].Success)
                return new Threshold(ThresholdBasis.BaselinePlus, 0);
            var operand = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return m.Groups[1].Value switch
            {
                "+" => new Threshold(ThresholdBasis.BaselinePlus, operand),
                "-" => new Threshold(ThresholdBasis.BaselinePlus, -operand),
                _ when operand > 0 => new Threshold(ThresholdBasis.BaselineTimes, operand),
                _ => r.Fail<Threshold>(node, "the factor in baseline * factor must be above 0"),
            };
        }
        return r.Fail<Threshold>(node, $"'{text}' is not a bound; write a number (0.8), baseline + 0.01, baseline - 0.01 or baseline * 1.01");
    }

    public static PolicyRule? Single(PolicyReader r, string kind, YamlNode value)
    {
        if (r.Mapping(value, $"the {kind} rule") is not { } map)
            return null;
        switch (kind)
        {
            case "fairness":
                r.OnlyKeys(map, "the fairness rule", "metric", "slice-key", "max-difference");
                var metric = r.Required(map, "metric", "the fairness rule", n => r.Text(n, "metric"));
                var sliceKey = r.Required(map, "slice-key", "the fairness rule", n => r.Text(n, "slice-key"));
                double? bound = PolicyReader.Get(map, "max-difference") is { } d ? r.Number(d, "max-difference") : r.FailValue<double>(map, "the fairness rule needs 'max-difference'");
                if (bound < 0)
                    return r.Fail<PolicyRule>(PolicyReader.Get(map, "max-difference")!, "max-difference cannot be negative");
                return metric is null || sliceKey is null || bound is null ? null : new FairnessRule(metric, sliceKey, bound.Value);
            case "model-card":
                r.OnlyKeys(map, "the model-card rule", "sections");
                var sections = r.Required(map, "sections", "the model-card rule", n => r.List(n, "sections",
                    s => r.Choice(s, "a model card section", ModelCardRule.SectionKeys.Keys.ToList())));
                return sections is null ? null : new ModelCardRule(sections.Distinct().ToList());
            case "lineage":
                r.OnlyKeys(map, "the lineage rule", "requires");
                var requires = r.Required(map, "requires", "the lineage rule", n => r.List(n, "requires", s => r.Choice(s, "a lineage requirement", LineageRule.Known)));
                return requires is null ? null : new LineageRule(requires.Distinct().ToList());
            case "golden-check":
                r.OnlyKeys(map, "the golden-check rule", "passed-within-days");
                int? days = PolicyReader.Get(map, "passed-within-days") is { } p ? r.Integer(p, "passed-within-days", 1, 365) : r.FailValue<int>(map, "the golden-check rule needs 'passed-within-days'");
                return days is null ? null : new GoldenCheckRule(days.Value);
            default:
                r.OnlyKeys(map, "the tags rule", "required");
                var tags = r.Required(map, "required", "the tags rule", n => r.List(n, "required", s => r.Text(s, "a tag") is { } t ? t.ToLowerInvariant() : null));
                return tags is null ? null : new TagsRule(tags.Distinct().ToList());
        }
    }

    public static IReadOnlyList<PolicyRule>? Approvals(PolicyReader r, YamlNode value)
    {
        var groups = r.List(value, "approvals", node =>
        {
            if (r.Mapping(node, "an approval requirement") is not { } map)
                return null;
            r.OnlyKeys(map, "an approval requirement", "count", "role", "team");
            int? count = PolicyReader.Get(map, "count") is { } c ? r.Integer(c, "count", 1, 20) : 1;
            var role = r.Required(map, "role", "an approval requirement", n => r.Choice(n, "a team role", Enum.GetNames<TeamRole>()));
            var team = PolicyReader.Get(map, "team") is { } t ? r.Text(t, "team") : null;
            if (team is not null && !Slug.IsValid(team))
                return r.Fail<ApprovalRule>(PolicyReader.Get(map, "team")!, $"'{team}' is not a team slug");
            if (count is null || role is null || (PolicyReader.Get(map, "team") is not null && team is null))
                return null;
            return new ApprovalRule(count.Value, Enum.Parse<TeamRole>(role), team);
        });
        if (groups is { Count: 0 })
            return r.Fail<IReadOnlyList<PolicyRule>>(value, "approvals needs at least one requirement such as { count: 1, role: Approver }");
        return groups;
    }
}
