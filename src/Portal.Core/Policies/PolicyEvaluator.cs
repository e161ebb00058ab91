using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Core.Policies;

/// <summary>A stored policy revision ready to judge: its document, or the parse error if its text no longer reads.</summary>
public sealed record LoadedPolicy(string Name, int Revision, bool IsGlobal, Common.Result<PolicyDocument> Document)
{
    // Every transition reads the same few policy texts: each is parsed once per process (documents are immutable
    // records, safe to share). The bound only guards against a flood of distinct texts, which real use never makes.
    private const int MaxParsed = 1000;
    private static readonly ConcurrentDictionary<string, Common.Result<PolicyDocument>> Parsed = new(StringComparer.Ordinal);

    public static LoadedPolicy From(PolicyRevision revision)
    {
        if (Parsed.Count >= MaxParsed)
            Parsed.Clear();
        return new(revision.Name, revision.Number, revision.IsGlobal, Parsed.GetOrAdd(revision.Yaml, PolicyParser.Parse));
    }
}

/// <summary>
/// Selects the policies that govern a version moving to a target and judges every rule. Stateless; the
/// lifecycle service calls it inside its own context and transaction.
/// </summary>
public sealed class PolicyEvaluator(TimeProvider clock) : IPolicyEvaluator
{
    /// <summary>
    /// Judges the version against the latest revision of every global policy and of every policy of the
    /// asset's team whose <c>applies-to</c> selects the asset's kind and tags and <paramref name="target"/>
    /// ("Staging", "Production", "Archived" or "alias:{name}").
    /// </summary>
    public async Task<PolicyEvaluation> EvaluateAsync(PortalDbContext db, VersionHead head, string target, IReadOnlyList<ApprovalFact> approvals, CancellationToken ct)
    {
        // Select first, then read only what the selected rules judge: a target no policy governs reads no
        // facts at all, and of a version's metrics only the named ones are loaded.
        var selected = (await LatestRevisions.For(db)(db, head.TeamId).ToListAsync(ct)).Select(LoadedPolicy.From)
            .Where(p => !p.Document.IsSuccess || p.Document.Value.AppliesTo.Matches(head.Kind, head.AllTags, target))
            .ToList();
        if (selected.Count == 0)
            return new PolicyEvaluation([], []);
        var needs = FactNeeds.Of(selected.Where(p => p.Document.IsSuccess).SelectMany(p => p.Document.Value.Rules));
        var facts = await PolicyFacts.GatherAsync(db, head, needs, clock.GetUtcNow(), ct);
        return Evaluate(selected, facts with { Approvals = approvals }, target);
    }

    /// <summary>
    /// The newest revision of each global policy and of each policy of the team (none for a null team). Every transition reads it:
    /// compiled once, it skips EF Core's per-call expression work.
    /// </summary>
    internal static readonly PerModel<Func<PortalDbContext, Guid?, IAsyncEnumerable<PolicyRevision>>> LatestRevisions = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, Guid? teamId) => db.PolicyRevisions.AsNoTracking()
            .Where(p => p.TeamId == null || p.TeamId == teamId)
            .Where(p => p.Number == db.PolicyRevisions.Where(q => q.ScopeId == p.ScopeId && q.Name == p.Name).Max(q => q.Number))));

    public static PolicyEvaluation Evaluate(IEnumerable<LoadedPolicy> policies, VersionFacts facts, string target)
    {
        var results = new List<RuleResult>();
        var approvalRules = new List<ApprovalRule>();
        foreach (var policy in policies.OrderBy(p => !p.IsGlobal).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!policy.Document.IsSuccess)
            {
                // A stored text that no longer reads must not silently drop its rules: the gate stays shut.
                results.Add(new RuleResult(policy.Name, policy.Revision, policy.IsGlobal, "policy", "the policy text", RuleOutcome.Fail,
                    $"The policy cannot be read: {policy.Document.Error!.Message}", new Dictionary<string, string>()));
                continue;
            }
            var document = policy.Document.Value;
            if (!document.AppliesTo.Matches(facts.Kind, facts.Tags, target))
                continue;
            results.AddRange(Judge(policy, document.Rules, facts));
            approvalRules.AddRange(document.Rules.OfType<ApprovalRule>());
        }
        return new PolicyEvaluation(results, Outstanding(approvalRules, facts));
    }

    /// <summary>
    /// One revision judged on its own, whatever it selects: a first row says whether its applies-to would
    /// select this version for the target. No approvals are counted, since a dry run has no request.
    /// </summary>
    public static PolicyEvaluation DryRun(LoadedPolicy policy, VersionFacts facts, string target)
    {
        if (!policy.Document.IsSuccess)
            return Evaluate([policy], facts, target);
        var document = policy.Document.Value;
        var selected = document.AppliesTo.Matches(facts.Kind, facts.Tags, target);
        var selection = new RuleResult(policy.Name, policy.Revision, policy.IsGlobal, "applies-to", "applies-to",
            selected ? RuleOutcome.Pass : RuleOutcome.NotApplicable,
            selected ? $"The policy governs this version for {target}." : $"The policy does not select this version for {target}; its rules are shown as if it did.",
            new Dictionary<string, string>
            {
                ["kinds"] = string.Join(", ", document.AppliesTo.Kinds),
                ["tags"] = string.Join(", ", document.AppliesTo.Tags),
                ["targets"] = string.Join(", ", document.AppliesTo.Targets),
            });
        return new PolicyEvaluation([selection, .. Judge(policy, document.Rules, facts)], Outstanding(document.Rules.OfType<ApprovalRule>(), facts));
    }

    public static IEnumerable<RuleResult> Judge(LoadedPolicy policy, IEnumerable<PolicyRule> rules, VersionFacts facts) =>
        rules.Select(rule => (rule, verdict: rule.Evaluate(facts)))
            .Select(r => new RuleResult(policy.Name, policy.Revision, policy.IsGlobal, r.rule.Kind, r.rule.Text, r.verdict.Outcome, r.verdict.Explanation, r.verdict.Values));

    /// <summary>
    /// Who must still sign: per role and team, the most approvals any selected rule still lacks (two policies
    /// asking for one Approver each are satisfied by the same person).
    /// </summary>
    private static List<ApprovalRequirement> Outstanding(IEnumerable<ApprovalRule> rules, VersionFacts facts) =>
        rules.Select(r => (r.Role, r.Team, Missing: r.Count - r.CountGiven(facts)))
            .Where(r => r.Missing > 0)
            .GroupBy(r => (r.Role, r.Team))
            .Select(g => new ApprovalRequirement(g.Max(r => r.Missing), g.Key.Role, g.Key.Team))
            .OrderBy(r => r.Team is not null).ThenByDescending(r => r.Role)
            .ToList();
}
