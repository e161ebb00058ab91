using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Audit;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.PromptTemplates;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Policies;

/// <summary>The newest revision of a policy; <see cref="Team"/> is null for a global one.</summary>
public sealed record PolicySummary(string Name, string? Team, int Revision, string Yaml, DateTimeOffset SavedAt, string SavedBy);

public sealed record PolicyRevisionInfo(int Number, DateTimeOffset SavedAt, string SavedBy);

public sealed record PolicyDetail(PolicySummary Shown, IReadOnlyList<PolicyRevisionInfo> History);

/// <summary>Which policy a dry run judges with: a team's (or global, <see cref="Team"/> null), at a revision or the latest.</summary>
public sealed record PolicyReference(string? Team, string Name, int? Revision);

public static class PolicyErrors
{
    public static Error NotFound(string name) => Error.NotFound("policy.not-found", $"There is no policy '{name}' here.");
    public static Error RevisionNotFound(string name, int revision) => Error.NotFound("policy.revision-not-found", $"The policy '{name}' has no revision {revision}.");
    public static Error NameMismatch(string expected, string written) => Error.Validation("policy.name-mismatch",
        $"The text says 'policy: {written}' but is saved as '{expected}'; renaming makes a new policy, save it under its new name.",
        new Dictionary<string, string[]> { [PolicyParser.Field] = [$"line 1, column 1: the policy is named '{written}', expected '{expected}'"] });
    public static readonly Error Conflict = Error.Conflict("policy.conflict", "Someone saved this policy at the same moment. Reload and save again.");
    public static Error TargetInvalid(string target) =>
        Error.Validation("policy.target-invalid", $"'{target}' is not a target; use Staging, Production, Archived or alias:<name>.");
}

/// <summary>
/// Versioned policy documents: global ones (PlatformAdmins) and each team's (its TeamAdmins). Every save is
/// a new, audited revision; any revision can be read, diffed and dry-run against any readable version.
/// </summary>
public sealed class PolicyService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ITextDiffer differ)
{
    /// <summary>The team's policies and the global ones that also govern its assets, newest revision of each.</summary>
    public Task<Result<IReadOnlyList<PolicySummary>>> ListAsync(CallerAccess caller, string team, CancellationToken ct = default) =>
        ListInAsync(caller, team, ct);

    public Task<Result<IReadOnlyList<PolicySummary>>> ListGlobalAsync(CallerAccess caller, CancellationToken ct = default) =>
        ListInAsync(caller, null, ct);

    public Task<Result<PolicyDetail>> GetAsync(CallerAccess caller, string team, string name, int? revision = null, CancellationToken ct = default) =>
        GetInAsync(caller, team, name, revision, ct);

    public Task<Result<PolicyDetail>> GetGlobalAsync(CallerAccess caller, string name, int? revision = null, CancellationToken ct = default) =>
        GetInAsync(caller, null, name, revision, ct);

    /// <summary>
    /// Saves the text as the next revision of the policy it names (which must be <paramref name="name"/> when
    /// given, as in a PUT to that policy's address); a team policy may not loosen a global rule.
    /// </summary>
    public Task<Result<PolicyDetail>> SaveAsync(CallerAccess caller, string team, string yaml, string? name = null, CancellationToken ct = default) =>
        SaveInAsync(caller, team, yaml, name, ct);

    public Task<Result<PolicyDetail>> SaveGlobalAsync(CallerAccess caller, string yaml, string? name = null, CancellationToken ct = default) =>
        SaveInAsync(caller, null, yaml, name, ct);

    public Task<Result<IReadOnlyList<DiffLine>>> DiffAsync(CallerAccess caller, string team, string name, int from, int to, CancellationToken ct = default) =>
        DiffInAsync(caller, team, name, from, to, ct);

    public Task<Result<IReadOnlyList<DiffLine>>> DiffGlobalAsync(CallerAccess caller, string name, int from, int to, CancellationToken ct = default) =>
        DiffInAsync(caller, null, name, from, to, ct);

    /// <summary>
    /// Judges a version with one policy revision, whether or not that policy selects it. Global policies
    /// govern every team, so whoever may read the version may see how they judge it; a team's policy
    /// needs the right to open that team as well.
    /// </summary>
    public async Task<Result<PolicyEvaluation>> DryRunAsync(CallerAccess caller, string team, string asset, string version, PolicyReference policy, string target,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var scope = policy.Team is null ? Result<Guid?>.From(null) : await ScopeAsync(db, caller, policy.Team, PortalAction.ViewTeam, ct);
        if (!scope.IsSuccess)
            return scope.Error!;
        if (PolicyTargets.Parse(target) is not { } normalized)
            return PolicyErrors.TargetInvalid(target);
        var revision = await RevisionAsync(db, scope.Value, policy.Name, policy.Revision, ct);
        if (!revision.IsSuccess)
            return revision.Error!;
        var head = (await VersionHead.ReadAsync(db, found.Value.Version.Id, ct))!;
        var facts = await PolicyFacts.GatherAsync(db, head, FactNeeds.Everything, clock.GetUtcNow(), ct);
        return PolicyEvaluator.DryRun(LoadedPolicy.From(revision.Value), facts, normalized);
    }

    private async Task<Result<IReadOnlyList<PolicySummary>>> ListInAsync(CallerAccess caller, string? team, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ScopeAsync(db, caller, team, team is null ? PortalAction.ViewAllTeams : PortalAction.ViewTeam, ct);
        if (!scope.IsSuccess)
            return scope.Error!;
        var rows = await PolicyEvaluator.LatestRevisions.For(db)(db, scope.Value).ToListAsync(ct);
        return rows.OrderBy(r => r.TeamId is not null).ThenBy(r => r.Name, StringComparer.Ordinal).Select(r => Summary(r, team)).ToList();
    }

    private async Task<Result<PolicyDetail>> GetInAsync(CallerAccess caller, string? team, string name, int? number, CancellationToken ct)
    {
        if (number is < 1)
            return Paging.Invalid(new Dictionary<string, string[]> { ["revision"] = ["Revisions are numbered from 1."] });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ScopeAsync(db, caller, team, team is null ? PortalAction.ViewAllTeams : PortalAction.ViewTeam, ct);
        return scope.IsSuccess ? await DetailAsync(db, scope.Value, team, name, number, ct) : scope.Error!;
    }

    private async Task<Result<PolicyDetail>> SaveInAsync(CallerAccess caller, string? team, string yaml, string? name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ScopeAsync(db, caller, team, team is null ? PortalAction.ManageGlobalPolicies : PortalAction.ManageTeamPolicies, ct);
        if (!scope.IsSuccess)
            return scope.Error!;
        var parsed = PolicyParser.Parse(yaml);
        if (!parsed.IsSuccess)
            return parsed.Error!;
        var document = parsed.Value;
        if (name is not null && name != document.Name)
            return PolicyErrors.NameMismatch(name, document.Name);
        if (team is not null)
        {
            var globals = await PolicyEvaluator.LatestRevisions.For(db)(db, null).ToListAsync(ct);
            var readable = globals.Select(g => (g.Name, g.Number, Document: PolicyParser.Parse(g.Yaml))).Where(g => g.Document.IsSuccess);
            if (PolicyWeakening.Check(document, readable.Select(g => (g.Name, g.Number, g.Document.Value))) is { } weakens)
                return weakens;
        }
        var scopeId = scope.Value ?? Guid.Empty;
        var latest = await db.PolicyRevisions.Where(r => r.ScopeId == scopeId && r.Name == document.Name).MaxAsync(r => (int?)r.Number, ct) ?? 0;
        var now = clock.GetUtcNow();
        var revision = PolicyRevision.Create(scope.Value, document.Name, latest + 1, yaml, caller.Actor.Name, now);
        db.PolicyRevisions.Add(revision);
        db.Record(caller.Actor, now, "policy.saved", "policy", $"{team ?? "global"}/{document.Name}", scope.Value,
            after: new { policy = document.Name, scope = team ?? "global", revision = revision.Number, rules = document.Rules.Count });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique (scope, name, number) index lets one of two racing saves win.
            return PolicyErrors.Conflict;
        }
        return await DetailAsync(db, scope.Value, team, document.Name, null, ct);
    }

    private async Task<Result<IReadOnlyList<DiffLine>>> DiffInAsync(CallerAccess caller, string? team, string name, int from, int to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ScopeAsync(db, caller, team, team is null ? PortalAction.ViewAllTeams : PortalAction.ViewTeam, ct);
        if (!scope.IsSuccess)
            return scope.Error!;
        var before = await RevisionAsync(db, scope.Value, name, from, ct);
        if (!before.IsSuccess)
            return before.Error!;
        var after = await RevisionAsync(db, scope.Value, name, to, ct);
        return after.IsSuccess ? Result<IReadOnlyList<DiffLine>>.From(differ.Diff(before.Value.Yaml, after.Value.Yaml)) : after.Error!;
    }

    /// <summary>Asks the gate, then resolves the team's id; null stands for the global scope.</summary>
    private static async Task<Result<Guid?>> ScopeAsync(PortalDbContext db, CallerAccess caller, string? team, PortalAction action, CancellationToken ct)
    {
        if ((team is null ? AccessGate.Check(caller, action) : AccessGate.Check(caller, action, team)) is { } denied)
            return denied;
        if (team is null)
            return Result<Guid?>.From(null);
        var id = await db.TeamIdAsync(team, ct);
        return id is null ? TeamErrors.NotFound(team) : Result<Guid?>.From(id);
    }

    private static async Task<Result<PolicyRevision>> RevisionAsync(PortalDbContext db, Guid? teamId, string name, int? number, CancellationToken ct)
    {
        var scopeId = teamId ?? Guid.Empty;
        var query = db.PolicyRevisions.AsNoTracking().Where(r => r.ScopeId == scopeId && r.Name == name);
        var row = number is { } n ? await query.SingleOrDefaultAsync(r => r.Number == n, ct) : await query.OrderByDescending(r => r.Number).FirstOrDefaultAsync(ct);
        if (row is not null)
            return row;
        return number is { } missing && await query.AnyAsync(ct) ? PolicyErrors.RevisionNotFound(name, missing) : PolicyErrors.NotFound(name);
    }

    private static async Task<Result<PolicyDetail>> DetailAsync(PortalDbContext db, Guid? teamId, string? team, string name, int? number, CancellationToken ct)
    {
        var shown = await RevisionAsync(db, teamId, name, number, ct);
        if (!shown.IsSuccess)
            return shown.Error!;
        var scopeId = teamId ?? Guid.Empty;
        var history = await db.PolicyRevisions.AsNoTracking().Where(r => r.ScopeId == scopeId && r.Name == name).OrderByDescending(r => r.Number)
            .Select(r => new PolicyRevisionInfo(r.Number, r.CreatedAt, r.CreatedBy)).ToListAsync(ct);
        return new PolicyDetail(Summary(shown.Value, team), history);
    }

    private static PolicySummary Summary(PolicyRevision r, string? team) =>
        new(r.Name, r.TeamId is null ? null : team, r.Number, r.Yaml, r.CreatedAt, r.CreatedBy);
}
