using System.Globalization;
using Portal.Core.ModelCards;
using Portal.Core.Teams;

namespace Portal.Core.Policies;

/// <summary>Named model-card sections are filled. Policies name sections in kebab case (<c>intended-use</c> for <c>intendedUse</c>).</summary>
public sealed record ModelCardRule(IReadOnlyList<string> Sections) : PolicyRule
{
    /// <summary>The kebab-case name of every model-card section, keyed by that name, with the card's own key.</summary>
    public static readonly IReadOnlyDictionary<string, string> SectionKeys = ModelCardSections.All.ToDictionary(
        s => string.Concat(s.Key.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString())), s => s.Key);

    public override string Kind => "model-card";
    public override FactNeeds Reads => FactNeeds.None with { ModelCard = true };
    public override string Text => $"model card sections {string.Join(", ", Sections)}";

    public override RuleVerdict Evaluate(VersionFacts facts)
    {
        var card = facts.ModelCard ?? new Dictionary<string, string>();
        var missing = Sections.Where(s => !ModelCardSections.IsFilled(card, SectionKeys[s])).ToList();
        var values = new Dictionary<string, string> { ["required"] = string.Join(", ", Sections), ["missing"] = string.Join(", ", missing) };
        if (facts.ModelCard is null)
            return RuleVerdict.Fail("This version has no model card.", values);
        return missing.Count == 0
            ? RuleVerdict.Pass($"All {Sections.Count} required sections are filled.", values)
            : RuleVerdict.Fail($"Sections not filled (at least 20 characters): {string.Join(", ", missing)}.", values);
    }

    public override string? WeakenedBy(PolicyRule teamRule) =>
        teamRule is ModelCardRule team && Sections.Except(team.Sections).ToList() is { Count: > 0 } dropped
            ? $"drops the required model card sections {string.Join(", ", dropped)}"
            : null;
}

/// <summary>The version records where it came from: a dataset version it was trained or evaluated on, and a git commit.</summary>
public sealed record LineageRule(IReadOnlyList<string> Requires) : PolicyRule
{
    public const string DatasetVersion = "dataset-version";
    public const string GitCommit = "git-commit";
    public static readonly IReadOnlyList<string> Known = [DatasetVersion, GitCommit];

    public override string Kind => "lineage";
    public override FactNeeds Reads => FactNeeds.None with { Lineage = true };
    public override string Text => $"lineage {string.Join(", ", Requires)}";

    public override RuleVerdict Evaluate(VersionFacts facts)
    {
        var values = new Dictionary<string, string>();
        var missing = new List<string>();
        foreach (var requirement in Requires)
        {
            var present = requirement == DatasetVersion ? facts.DatasetEdges > 0 : !string.IsNullOrWhiteSpace(facts.GitCommit);
            values[requirement] = !present ? "missing"
                : requirement == DatasetVersion ? $"{facts.DatasetEdges} trained-on/evaluated-on link(s)"
                : facts.GitCommit!;
            if (!present)
                missing.Add(requirement);
        }
        return missing.Count == 0
            ? RuleVerdict.Pass($"The version records {string.Join(" and ", Requires)}.", values)
            : RuleVerdict.Fail($"The version does not record: {string.Join(", ", missing)}.", values);
    }

    public override string? WeakenedBy(PolicyRule teamRule) =>
        teamRule is LineageRule team && Requires.Except(team.Requires).ToList() is { Count: > 0 } dropped
            ? $"drops the required lineage {string.Join(", ", dropped)}"
            : null;
}

/// <summary>
/// Every enabled golden check of the asset has run on this version, and its newest run passed within the
/// last N days. An asset with no check fails: the policy asks for evidence that does not exist.
/// </summary>
public sealed record GoldenCheckRule(int PassedWithinDays) : PolicyRule
{
    public override string Kind => "golden-check";
    public override FactNeeds Reads => FactNeeds.None with { Golden = true };
    public override string Text => $"golden check passed within {PassedWithinDays} days";

    public override RuleVerdict Evaluate(VersionFacts facts)
    {
        var values = new Dictionary<string, string> { ["passed-within-days"] = PassedWithinDays.ToString(CultureInfo.InvariantCulture) };
        if (facts.Golden is not { Checks: > 0 } golden)
            return RuleVerdict.Fail("The asset has no golden check: define one and run it on this version.", values);
        var oldest = golden.AsOf.AddDays(-PassedWithinDays);
        var problems = new List<string>();
        foreach (var run in golden.Latest)
        {
            values[$"check {run.Check}"] = $"{(run.Passed ? "passed" : "failed")} {run.CompletedAt:yyyy-MM-dd HH:mm} UTC";
            if (!run.Passed)
                problems.Add($"'{run.Check}' failed its latest run");
            else if (run.CompletedAt < oldest)
                problems.Add($"'{run.Check}' last passed {(int)(golden.AsOf - run.CompletedAt).TotalDays} days ago");
        }
        if (golden.Latest.Count < golden.Checks)
            problems.Add($"{golden.Checks - golden.Latest.Count} of {golden.Checks} checks never ran on this version");
        return problems.Count == 0
            ? RuleVerdict.Pass($"All {golden.Checks} golden checks passed within {PassedWithinDays} days.", values)
            : RuleVerdict.Fail(string.Join("; ", problems) + ".", values);
    }

    public override string? WeakenedBy(PolicyRule teamRule) =>
        teamRule is GoldenCheckRule team && team.PassedWithinDays > PassedWithinDays
            ? $"allows a golden check {team.PassedWithinDays} days old instead of {PassedWithinDays}"
            : null;
}

/// <summary>Tags that must be on the asset or the version.</summary>
public sealed record TagsRule(IReadOnlyList<string> Required) : PolicyRule
{
    public override string Kind => "tags";
    public override string Text => $"tags {string.Join(", ", Required)}";

    public override RuleVerdict Evaluate(VersionFacts facts)
    {
        var missing = Required.Where(t => !facts.Tags.Contains(t)).ToList();
        var values = new Dictionary<string, string> { ["required"] = string.Join(", ", Required), ["missing"] = string.Join(", ", missing) };
        return missing.Count == 0
            ? RuleVerdict.Pass($"The asset or version carries {string.Join(", ", Required)}.", values)
            : RuleVerdict.Fail($"Missing tags: {string.Join(", ", missing)}.", values);
    }
}

/// <summary>
/// A number of distinct people holding at least a role in the asset's team (<see cref="Team"/> null) or a
/// named team approved. Each entry of an <c>approvals</c> list is one rule.
/// </summary>
public sealed record ApprovalRule(int Count, TeamRole Role, string? Team) : PolicyRule
{
    public override string Kind => "approvals";
    public override string Text => $"{Count} {Role} approval(s){(Team is null ? "" : $" from {Team}")}";

    public ApprovalRequirement Requirement => new(Count, Role, Team);

    public int CountGiven(VersionFacts facts)
    {
        var team = Team ?? facts.Team;
        return facts.Approvals.Where(a => a.Team == team && a.Role >= Role).Select(a => a.ActorId).Distinct().Count();
    }

    public override RuleVerdict Evaluate(VersionFacts facts)
    {
        var team = Team ?? facts.Team;
        var given = CountGiven(facts);
        var values = new Dictionary<string, string>
        {
            ["approvals"] = given.ToString(CultureInfo.InvariantCulture),
            ["required"] = Count.ToString(CultureInfo.InvariantCulture),
            ["role"] = Role.ToString(),
            ["team"] = team,
        };
        var why = $"{Math.Min(given, Count)} of {Count} {Role} approvals from {team}.";
        return given >= Count ? RuleVerdict.Pass(why, values) : RuleVerdict.Fail(why, values);
    }

    public override string? WeakenedBy(PolicyRule teamRule) =>
        teamRule is ApprovalRule team && team.Team == Team && (team.Role == Role ? team.Count < Count : team.Role < Role && team.Count <= Count)
            ? $"requires {team.Text} instead of {Text}"
            : null;
}
