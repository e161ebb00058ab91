using Portal.Core.Common;

namespace Portal.Core.Teams;

public sealed record TeamAccess(Guid TeamId, string Slug, string Name, TeamRole Role);

/// <summary>
/// Who the caller is and which roles they hold right now, read from the database for each request or
/// action, so a revoked role stops working at once. Built by <see cref="AccessService"/>. What the
/// roles allow is decided by <see cref="Access.AccessGate"/> alone.
/// </summary>
public sealed record CallerAccess(Actor Actor, IReadOnlySet<GlobalRole> GlobalRoles, IReadOnlyDictionary<string, TeamAccess> Teams)
{
    /// <summary>Set only for API tokens a TeamAdmin issued with the right to record golden-check and production metrics.</summary>
    public bool MayRecordEvidence { get; init; }

    public TeamRole? RoleIn(string teamSlug) => Teams.TryGetValue(teamSlug, out var t) ? t.Role : null;

    public static CallerAccess Anonymous { get; } =
        new(new Actor(ActorKind.System, "anonymous", "anonymous"), new HashSet<GlobalRole>(), new Dictionary<string, TeamAccess>());

    /// <summary>A scheduled job of the portal: no team role, but the jobs' own rights (evidence metrics) in every team.</summary>
    public static CallerAccess ForJob(Actor job) => new(job, new HashSet<GlobalRole>(), new Dictionary<string, TeamAccess>());
}
