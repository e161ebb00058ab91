using System.Globalization;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Teams;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Core.Policies;

/// <summary>Walks the YAML nodes of one policy, collecting every problem with its position instead of stopping at the first.</summary>
internal sealed class PolicyReader
{
    private static readonly string[] RuleKinds = ["metric", "fairness", "model-card", "lineage", "golden-check", "approvals", "tags"];

    public List<string> Errors { get; } = [];

    public static string At(Mark mark, string message) => $"line {mark.Line}, column {mark.Column}: {message}";

    public PolicyDocument? Read(YamlNode root)
    {
        if (Mapping(root, "a policy") is not { } map)
            return null;
        OnlyKeys(map, "a policy", "policy", "description", "applies-to", "rules");
        var name = Required(map, "policy", "a policy", n => Text(n, "policy"));
        if (name is not null && !Slug.IsValid(name))
            Fail(map.Children[new YamlScalarNode("policy")], $"'{name}' is not a policy name: lower-case letters, digits and inner dashes");
        if (Get(map, "description") is { } description)
            Text(description, "description");
        var appliesTo = Get(map, "applies-to") is { } a ? ReadAppliesTo(a) : AppliesTo.Everything;
        var rules = Required(map, "rules", "a policy", ReadRules);
        return name is null || appliesTo is null || rules is null ? null : new PolicyDocument(name, appliesTo, rules);
    }

    private AppliesTo? ReadAppliesTo(YamlNode node)
    {
        if (Mapping(node, "applies-to") is not { } map)
            return null;
        OnlyKeys(map, "applies-to", "kinds", "tags", "targets");
        var kinds = Get(map, "kinds") is { } k ? List(k, "kinds", n => Choice(n, "an asset kind", Enum.GetNames<AssetKind>()) is { } kind ? Enum.Parse<AssetKind>(kind) : (AssetKind?)null) : [];
        var tags = Get(map, "tags") is { } t ? List(t, "tags", Tag) : [];
        var targets = Get(map, "targets") is { } g ? List(g, "targets", Target) : [];
        return kinds is null || tags is null || targets is null
            ? null
            : new AppliesTo(kinds.OfType<AssetKind>().Distinct().ToList(), tags.OfType<string>().Distinct().ToList(), targets.OfType<string>().Distinct().ToList());
    }

    private IReadOnlyList<PolicyRule>? ReadRules(YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
            return Fail<IReadOnlyList<PolicyRule>>(node, "rules must be a list, each item starting with '- '");
        if (sequence.Children.Count == 0)
            return Fail<IReadOnlyList<PolicyRule>>(node, "a policy needs at least one rule");
        var rules = sequence.Children.Select(ReadRule).ToList();
        return rules.Any(r => r is null) ? null : rules.SelectMany(r => r!).ToList();
    }

    /// <summary>One list item; an approvals item yields one rule per required group of approvers.</summary>
    private IReadOnlyList<PolicyRule>? ReadRule(YamlNode node)
    {
        if (Mapping(node, "a rule") is not { } map)
            return null;
        if (map.Children.Count == 0)
            return Fail<IReadOnlyList<PolicyRule>>(node, "a rule needs a kind: " + string.Join(", ", RuleKinds));
        if (Get(map, "metric") is not null)
            return RuleReaders.Metric(this, map) is { } metric ? [metric] : null;
        var (key, value) = map.Children.First();
        var kind = (key as YamlScalarNode)?.Value ?? "";
        if (!RuleKinds.Contains(kind))
            return Fail<IReadOnlyList<PolicyRule>>(key, $"unknown rule kind '{kind}'; expected one of: {string.Join(", ", RuleKinds)}");
        if (map.Children.Count > 1)
            return Fail<IReadOnlyList<PolicyRule>>(map.Children.Skip(1).First().Key,
                $"unknown key '{(map.Children.Skip(1).First().Key as YamlScalarNode)?.Value}' next to '{kind}': indent its settings under '{kind}:'");
        return kind switch
        {
            "approvals" => RuleReaders.Approvals(this, value),
            _ => RuleReaders.Single(this, kind, value) is { } rule ? [rule] : null,
        };
    }

    // Node helpers, shared with RuleReaders. Each reports a located error and returns null on a wrong shape.

    public YamlMappingNode? Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? Fail<YamlMappingNode>(node, $"{what} must be a mapping of 'key: value' pairs");

    public void OnlyKeys(YamlMappingNode map, string what, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null || !allowed.Contains(name))
                Fail(key, $"unknown key '{name ?? key.ToString()}' in {what}; expected one of: {string.Join(", ", allowed)}");
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public T? Required<T>(YamlMappingNode map, string key, string what, Func<YamlNode, T?> read) where T : class =>
        Get(map, key) is { } node ? read(node) : Fail<T>(map, $"{what} needs '{key}'");

    public string? Text(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 and <= 200 } value } ? value.Trim() : Fail<string>(node, $"{what} must be a single value of 1-200 characters");

    public double? Number(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n
            : FailValue<double>(node, $"{what} must be a number such as 0.05");

    public int? Integer(YamlNode node, string what, int min, int max) =>
        node is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : FailValue<int>(node, $"{what} must be a whole number from {min} to {max}");

    public string? Choice(YamlNode node, string what, IReadOnlyCollection<string> allowed) =>
        Text(node, what) is { } text
            ? allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase)) ?? Fail<string>(node, $"'{text}' is not {what}; expected one of: {string.Join(", ", allowed)}")
            : null;

    /// <summary>A list of values; null (with errors reported) when the node is no list or any item is wrong.</summary>
    public List<T>? List<T>(YamlNode node, string what, Func<YamlNode, T?> item)
    {
        if (node is not YamlSequenceNode sequence)
            return Fail<List<T>>(node, $"{what} must be a list such as [a, b]");
        var items = sequence.Children.Select(item).ToList();
        return items.Any(i => i is null) ? null : items.Select(i => i!).ToList();
    }

    private string? Tag(YamlNode node) =>
        Text(node, "a tag") is { } tag ? (Asset.TagError([tag]) is { } error ? Fail<string>(node, error) : tag) : null;

    private string? Target(YamlNode node) =>
        Text(node, "a target") is { } text
            ? PolicyTargets.Parse(text) ?? Fail<string>(node, $"'{text}' is not a target; expected Staging, Production, Archived or alias:<name>")
            : null;

    public T? Fail<T>(YamlNode node, string message) where T : class
    {
        Fail(node, message);
        return null;
    }

    public T? FailValue<T>(YamlNode node, string message) where T : struct
    {
        Fail(node, message);
        return null;
    }

    public void Fail(YamlNode node, string message) => Errors.Add(At(node.Start, message));
}
