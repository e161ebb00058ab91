using Portal.Core.Common;

namespace Portal.Core.Policies;

/// <summary>
/// A team may add rules and tighten thresholds, never loosen a global one. Both policies are always
/// evaluated, so a looser team rule could not open the gate by itself; it is refused because it states an
/// intent the platform forbids and would mislead whoever reads the team's policy.
/// </summary>
public static class PolicyWeakening
{
    public const string Code = "policy.weakens-global";

    /// <summary>The refusal naming every global rule the team policy loosens, or null when it loosens none.</summary>
    public static Error? Check(PolicyDocument team, IEnumerable<(string Name, int Revision, PolicyDocument Document)> globals)
    {
        var findings = (
            from global in globals
            where global.Document.AppliesTo.Overlaps(team.AppliesTo)
            from globalRule in global.Document.Rules
            from teamRule in team.Rules
            let why = globalRule.WeakenedBy(teamRule)
            where why is not null
            select $"'{teamRule.Text}' {why}, below the global policy '{global.Name}' (revision {global.Revision}) rule '{globalRule.Text}'")
            .Distinct()
            .ToArray();
        return findings.Length == 0
            ? null
            : Error.Validation(Code, $"A team policy may only add rules or tighten them: {findings[0]}.",
                new Dictionary<string, string[]> { [PolicyParser.Field] = findings });
    }
}
