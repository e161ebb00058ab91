using Portal.Core.Common;

namespace Portal.Core.Teams;

public sealed record TeamAccess(Guid TeamId, string Slug, string Name, TeamRole Role);

/// <summary>
/// What the caller may do right now, read from the database for each request or action, so a
/// revoked role stops working at once. Built by <see cref="AccessService"/>.
/// </summary>
public sealed record CallerAccess(Actor Actor, IReadOnlySet<GlobalRole> GlobalRoles, IReadOnlyDictionary<string, TeamAccess> Teams)
{
    public bool IsAuditor => GlobalRoles.Contains(GlobalRole.Auditor);
    public bool IsPlatformAdmin => GlobalRoles.Contains(GlobalRole.PlatformAdmin);

    public TeamRole? RoleIn(string teamSlug) => Teams.TryGetValue(teamSlug, out var t) ? t.Role : null;

    /// <summary>Members read their team; Auditors and PlatformAdmins read every team.</summary>
    public bool CanView(string teamSlug) => Teams.ContainsKey(teamSlug) || IsAuditor || IsPlatformAdmin;

    public bool Has(string teamSlug, TeamRole atLeast) => RoleIn(teamSlug) is { } role && role >= atLeast;

    /// <summary>PlatformAdmins may administer any team's membership, so a new team can be staffed.</summary>
    public bool CanManageTeam(string teamSlug) => Has(teamSlug, TeamRole.TeamAdmin) || IsPlatformAdmin;

    public static CallerAccess Anonymous { get; } =
        new(new Actor(ActorKind.System, "anonymous", "anonymous"), new HashSet<GlobalRole>(), new Dictionary<string, TeamAccess>());
}
