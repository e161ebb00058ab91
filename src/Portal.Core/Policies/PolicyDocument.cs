using Portal.Core.Assets;

namespace Portal.Core.Policies;

/// <summary>A parsed, valid policy document: which versions and targets it governs, and its rules in document order.</summary>
public sealed record PolicyDocument(string Name, AppliesTo AppliesTo, IReadOnlyList<PolicyRule> Rules);

/// <summary>
/// The selection of a policy. An empty list selects everything on that axis; listed tags must all be on
/// the asset or the version.
/// </summary>
public sealed record AppliesTo(IReadOnlyList<AssetKind> Kinds, IReadOnlyList<string> Tags, IReadOnlyList<string> Targets)
{
    public static AppliesTo Everything { get; } = new([], [], []);

    public bool Matches(AssetKind kind, IReadOnlySet<string> tags, string target) =>
        (Kinds.Count == 0 || Kinds.Contains(kind))
        && Tags.All(tags.Contains)
        && (Targets.Count == 0 || Targets.Contains(PolicyTargets.Normalize(target), StringComparer.Ordinal));

    /// <summary>
    /// Whether some version could be selected by both policies for one target. Tags never separate two
    /// selections, since an asset may carry the tags of both.
    /// </summary>
    public bool Overlaps(AppliesTo other) =>
        (Kinds.Count == 0 || other.Kinds.Count == 0 || Kinds.Intersect(other.Kinds).Any())
        && (Targets.Count == 0 || other.Targets.Count == 0 || Targets.Intersect(other.Targets, StringComparer.Ordinal).Any());
}

/// <summary>The targets a transition can aim at: a stage, or an alias written <c>alias:{name}</c>.</summary>
public static class PolicyTargets
{
    public const string AliasPrefix = "alias:";
    private static readonly string[] Stages = ["Staging", "Production", "Archived"];

    /// <summary>The canonical spelling (stage names capitalised, alias names lower-case), or null when it is no target.</summary>
    public static string? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith(AliasPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var alias = trimmed[AliasPrefix.Length..].ToLowerInvariant();
            return Common.Slug.IsValid(alias) ? AliasPrefix + alias : null;
        }
        return Stages.FirstOrDefault(s => s.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
    }

    public static string Normalize(string target) => Parse(target) ?? target;
}
