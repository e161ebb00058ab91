using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Archiving;

/// <summary>Per-team archiving rules, edited by the team's TeamAdmins, and the PlatformAdmins' default for teams without one.</summary>
public sealed class ArchiveRuleService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<ArchiveRuleView>> GetAsync(CallerAccess caller, string team, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, AccessTarget.Team(team)) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamId = await db.TeamIdAsync(team, ct);
        if (teamId is null)
            return TeamErrors.NotFound(team);
        var (rule, source) = await EffectiveAsync(db, teamId.Value, ct);
        return ArchiveRuleView.From(rule, source, caller.Allows(PortalAction.ManageArchiving, team));
    }

    public async Task<Result<ArchiveRuleView>> SaveAsync(CallerAccess caller, string team, ArchiveRuleInput input, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageArchiving, AccessTarget.Team(team)) is { } denied)
            return denied;
        if (Invalid(input) is { } invalid)
            return invalid;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamId = await db.TeamIdAsync(team, ct);
        if (teamId is null)
            return TeamErrors.NotFound(team);
        var rule = await SaveRuleAsync(db, teamId, input, caller.Actor, ct);
        return ArchiveRuleView.From(rule, "team", true);
    }

    /// <summary>The platform default as it stands (the built-in one until a PlatformAdmin saves one).</summary>
    public async Task<Result<ArchiveRuleView>> GetDefaultAsync(CallerAccess caller, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewAllTeams, AccessTarget.Platform) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.ArchiveRules.AsNoTracking().SingleOrDefaultAsync(r => r.TeamId == null, ct);
        return ArchiveRuleView.From(rule ?? ArchiveRule.BuiltIn(), rule is null ? "built-in" : "platform", caller.Allows(PortalAction.ManageArchiveDefaults));
    }

    /// <summary>The default every team without a rule of its own follows.</summary>
    public async Task<Result<ArchiveRuleView>> SaveDefaultAsync(CallerAccess caller, ArchiveRuleInput input, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageArchiveDefaults, AccessTarget.Platform) is { } denied)
            return denied;
        if (Invalid(input) is { } invalid)
            return invalid;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await SaveRuleAsync(db, null, input, caller.Actor, ct);
        return ArchiveRuleView.From(rule, "platform", false);
    }

    /// <summary>The team's rule, else the platform default, else the built-in one.</summary>
    internal static async Task<(ArchiveRule Rule, string Source)> EffectiveAsync(PortalDbContext db, Guid teamId, CancellationToken ct)
    {
        var rules = await db.ArchiveRules.AsNoTracking().Where(r => r.TeamId == teamId || r.TeamId == null).ToListAsync(ct);
        if (rules.FirstOrDefault(r => r.TeamId == teamId) is { } own)
            return (own, "team");
        return rules.FirstOrDefault() is { } platform ? (platform, "platform") : (ArchiveRule.BuiltIn(), "built-in");
    }

    private async Task<ArchiveRule> SaveRuleAsync(PortalDbContext db, Guid? teamId, ArchiveRuleInput input, Actor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rule = await db.ArchiveRules.SingleOrDefaultAsync(r => r.TeamId == teamId, ct);
        var before = rule is null ? null : new { rule.MinAgeDays, rule.UnusedForDays, rule.RetentionDays, rule.Enabled };
        if (rule is null)
        {
            rule = new ArchiveRule { TeamId = teamId, UpdatedBy = actor.Name };
            db.ArchiveRules.Add(rule);
        }
        else
        {
            rule.Revision++;
        }
        (rule.MinAgeDays, rule.UnusedForDays, rule.RetentionDays, rule.Enabled) = (input.MinAgeDays, input.UnusedForDays, input.RetentionDays, input.Enabled);
        (rule.UpdatedAt, rule.UpdatedBy) = (now, actor.Name);
        db.Record(actor, now, "archive-rule.saved", "archive-rule", teamId?.ToString() ?? "platform", teamId, before: before,
            after: new { rule.MinAgeDays, rule.UnusedForDays, rule.RetentionDays, rule.Enabled });
        await db.SaveChangesAsync(ct);
        return rule;
    }

    private static Error? Invalid(ArchiveRuleInput input) =>
        input.MinAgeDays is < 0 or > ArchiveRule.MaxDays ? ArchivingErrors.InvalidRule("minAgeDays")
        : input.UnusedForDays is < 0 or > ArchiveRule.MaxDays ? ArchivingErrors.InvalidRule("unusedForDays")
        : input.RetentionDays is < 0 or > ArchiveRule.MaxDays ? ArchivingErrors.InvalidRule("retentionDays")
        : null;
}
