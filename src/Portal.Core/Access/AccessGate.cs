using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Teams;

namespace Portal.Core.Access;

/// <summary>
/// The one place that answers "may this caller do this action on this target". Services, API
/// endpoints and pages all ask it, so a rule changes here and nowhere else (ADR-005). A disabled
/// user resolves to <see cref="CallerAccess.Anonymous"/> and therefore holds no right at all.
/// </summary>
public static class AccessGate
{
    /// <summary>A team rule: the least team role, which global roles also pass, and whether a read-only share is enough.</summary>
    private sealed record Rule(string Doing, TeamRole? AtLeast, GlobalRole[] GlobalRoles, bool ShareSuffices = false, bool EvidenceOnly = false, bool JobsMay = false,
        bool CrossTeamDeciders = false)
    {
        public bool IsTeamRule => AtLeast is not null;
    }

    private static readonly GlobalRole[] Readers = [GlobalRole.Auditor, GlobalRole.PlatformAdmin];
    private static readonly GlobalRole[] Admins = [GlobalRole.PlatformAdmin];

    private static readonly Dictionary<PortalAction, Rule> Rules = new()
    {
        [PortalAction.ViewTeam] = new("open this team", TeamRole.Viewer, Readers, JobsMay: true),
        [PortalAction.ReadAsset] = new("read this asset", TeamRole.Viewer, Readers, ShareSuffices: true, JobsMay: true),
        [PortalAction.RegisterAssets] = new("change assets", TeamRole.Contributor, []),
        [PortalAction.RecordEvidence] = new("record golden-check or production evidence", TeamRole.Contributor, [], EvidenceOnly: true, JobsMay: true),
        [PortalAction.ShareAssets] = new("share assets", TeamRole.TeamAdmin, []),
        [PortalAction.RequestTransitions] = new("request stage or alias changes", TeamRole.Contributor, []),
        [PortalAction.DecideTransitions] = new("approve or reject transition requests", TeamRole.Approver, [], CrossTeamDeciders: true),
        [PortalAction.RollBack] = new("roll back Production", TeamRole.Approver, []),
        [PortalAction.ProtectAliases] = new("protect aliases", TeamRole.TeamAdmin, []),
        [PortalAction.UnprotectAliases] = new("lift an alias's protection", null, Admins),
        [PortalAction.ManageTeamPolicies] = new("edit this team's policies", TeamRole.TeamAdmin, []),
        [PortalAction.ManageGlobalPolicies] = new("edit global policies", null, Admins),
        [PortalAction.ChangeTeamSettings] = new("change team settings", TeamRole.TeamAdmin, Admins),
        [PortalAction.ManageMembers] = new("manage members", TeamRole.TeamAdmin, Admins),
        [PortalAction.ViewApiTokens] = new("see API tokens", TeamRole.TeamAdmin, Readers),
        [PortalAction.ManageApiTokens] = new("manage API tokens", TeamRole.TeamAdmin, Admins),
        [PortalAction.ViewAllTeams] = new("see every team", null, Readers),
        [PortalAction.CreateTeams] = new("create teams", null, Admins),
        [PortalAction.ViewUsers] = new("list users", null, Readers),
        [PortalAction.ManageUsers] = new("disable or enable users", null, Admins),
        [PortalAction.ViewJobs] = new("open the jobs dashboard", null, Admins),
        [PortalAction.ViewSecurityEvents] = new("read security events", null, Readers),
        [PortalAction.ReviewIntegrityAlerts] = new("see integrity alerts", null, Admins),
        [PortalAction.ViewAudit] = new("read this team's audit log", TeamRole.TeamAdmin, Readers),
        [PortalAction.VerifyAudit] = new("read the whole audit log and verify it", null, Readers),
        [PortalAction.ExportAudit] = new("export audit dossiers and reports", TeamRole.TeamAdmin, Readers),
        [PortalAction.RunGoldenChecks] = new("run golden checks", TeamRole.Contributor, [], JobsMay: true),
        [PortalAction.ManageGoldenChecks] = new("define golden checks", TeamRole.TeamAdmin, []),
        [PortalAction.ViewTeamJobs] = new("see this team's jobs", TeamRole.Viewer, Readers),
        [PortalAction.ManageArchiving] = new("archive, restore and purge this team's versions", TeamRole.TeamAdmin, []),
        [PortalAction.ManageArchiveDefaults] = new("edit the default archiving rule", null, Admins),
    };

    public static AccessDecision Decide(CallerAccess caller, PortalAction action, AccessTarget target)
    {
        var rule = Rules[action];
        var global = rule.GlobalRoles.Any(caller.GlobalRoles.Contains);
        if (!rule.IsTeamRule)
            return global ? AccessDecision.Allowed : AccessDecision.Forbidden;
        if (target.TeamSlug is not { } team)
            throw new ArgumentException($"{action} needs a team.", nameof(target));

        // The portal's own jobs run for every team, with the few rights marked for them.
        if (caller.Actor.Kind == ActorKind.Job)
            return rule.JobsMay ? AccessDecision.Allowed : AccessDecision.Forbidden;
        var role = caller.RoleIn(team);
        if (rule.CrossTeamDeciders)
            role = target.AlsoDecidedBy.Select(caller.RoleIn).Append(role).Max();
        var visible = role is not null || Readers.Any(caller.GlobalRoles.Contains) || target.SharedWithCaller;
        if (!visible)
            return AccessDecision.NotVisible;
        if (rule.EvidenceOnly)
            return caller.MayRecordEvidence && role >= rule.AtLeast ? AccessDecision.Allowed : AccessDecision.Forbidden;
        if (role >= rule.AtLeast || global || (rule.ShareSuffices && target.SharedWithCaller))
            return AccessDecision.Allowed;
        return AccessDecision.Forbidden;
    }

    /// <summary>Platform actions: only global roles pass, whatever the caller's team roles.</summary>
    public static bool NeedsGlobalRole(PortalAction action) => !Rules[action].IsTeamRule;

    public static bool Allows(this CallerAccess caller, PortalAction action, AccessTarget target) =>
        Decide(caller, action, target) == AccessDecision.Allowed;

    public static bool Allows(this CallerAccess caller, PortalAction action, string teamSlug) =>
        caller.Allows(action, AccessTarget.Team(teamSlug));

    public static bool Allows(this CallerAccess caller, PortalAction action) =>
        caller.Allows(action, AccessTarget.Platform);

    /// <summary>The refusal to give the caller, or null when the action is allowed.</summary>
    public static Error? Check(CallerAccess caller, PortalAction action, AccessTarget target) => Decide(caller, action, target) switch
    {
        AccessDecision.Allowed => null,
        AccessDecision.NotVisible when target.AssetName is { } asset => RegistryErrors.AssetNotFound(asset),
        AccessDecision.NotVisible => TeamErrors.NotFound(target.TeamSlug!),
        // Someone who reads an asset only through a share learns why they cannot change it.
        _ when target.SharedWithCaller && caller.RoleIn(target.TeamSlug!) is null && !Readers.Any(caller.GlobalRoles.Contains) => RegistryErrors.ReadOnly,
        _ when !Rules[action].IsTeamRule => TeamErrors.GlobalForbidden(Rules[action].Doing),
        _ => TeamErrors.Forbidden(Rules[action].Doing),
    };

    /// <summary>
    /// The refusal for an action on an asset, or null when it is allowed. A share only ever adds a right, so
    /// <paramref name="sharedWithCaller"/> is asked only when the caller's own roles refuse: a team's members, the usual callers,
    /// cost no lookup for it.
    /// </summary>
    public static async Task<Error?> CheckAssetAsync(CallerAccess caller, PortalAction action, string teamSlug, string assetName, Func<Task<bool>> sharedWithCaller)
    {
        var target = AccessTarget.Asset(teamSlug, assetName, false);
        if (Check(caller, action, target) is not { } denied)
            return null;
        return await sharedWithCaller() ? Check(caller, action, target with { SharedWithCaller = true }) : denied;
    }

    public static Error? Check(CallerAccess caller, PortalAction action, string teamSlug) => Check(caller, action, AccessTarget.Team(teamSlug));

    public static Error? Check(CallerAccess caller, PortalAction action) => Check(caller, action, AccessTarget.Platform);
}
