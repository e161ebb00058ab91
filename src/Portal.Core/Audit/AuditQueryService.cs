using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Audit;

public enum AuditSort
{
    Sequence,
    Action,
    Actor,
}

/// <summary>
/// What to look for in the log. <see cref="Team"/> is required unless the caller reads every team
/// (Auditor, PlatformAdmin); <see cref="Version"/> needs <see cref="Asset"/>. <see cref="Text"/>
/// matches the subject, the action and the before/after values.
/// </summary>
public sealed record AuditFilter
{
    public string? Team { get; init; }
    public string? Asset { get; init; }
    public string? Version { get; init; }
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Text { get; init; }
    public AuditSort Sort { get; init; } = AuditSort.Sequence;
    public bool Descending { get; init; } = true;
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
}

public sealed record AuditEntry(long Sequence, DateTimeOffset OccurredAt, ActorKind ActorKind, string ActorId, string ActorName, string Action,
    string SubjectType, string SubjectId, string? TeamSlug, string? Before, string? After, string? CorrelationId, string? ClientAddress, string Hash)
{
    /// <summary>The asset and version the event is about, by name, when it is about one that still exists.</summary>
    public ActivitySubject? Subject { get; init; }
}

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int Total);

/// <summary>
/// The one read of the audit log: the /audit page, the API and a version's History tab all go
/// through <see cref="Events"/>. A search by someone who reads every team is itself audited.
/// </summary>
public sealed class AuditQueryService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const string SearchedAction = "audit.searched";

    public async Task<Result<AuditPage>> SearchAsync(CallerAccess caller, AuditFilter filter, CancellationToken ct)
    {
        if (Paging.LimitProblem(filter.Limit) is { } limit)
            return Paging.Invalid(new Dictionary<string, string[]> { ["limit"] = [limit] });
        var unsafeFilters = new (string Name, string? Value)[] { ("team", filter.Team), ("asset", filter.Asset), ("version", filter.Version), ("actor", filter.Actor), ("action", filter.Action), ("text", filter.Text) }
            .Where(f => Names.Problem(f.Value, 200) is not null).ToDictionary(f => f.Name, f => new[] { Names.Problem(f.Value, 200)! });
        if (unsafeFilters.Count > 0)
            return Paging.Invalid(unsafeFilters);
        if (filter.Offset < 0)
            return Paging.Invalid(new Dictionary<string, string[]> { ["offset"] = ["Zero or more."] });
        if (filter.From is { } from && filter.To is { } to && from > to)
            return Paging.Invalid(new Dictionary<string, string[]> { ["from"] = ["The start must not be after the end."] });
        if (filter.Version is not null && filter.Asset is null)
            return Paging.Invalid(new Dictionary<string, string[]> { ["version"] = ["Choose an asset to filter by version."] });
        var allTeams = caller.Allows(PortalAction.VerifyAudit);
        if (filter.Team is null && !allTeams)
            return AccessGate.Check(caller, PortalAction.VerifyAudit)!;
        if (filter.Team is { } slug && AccessGate.Check(caller, PortalAction.ViewAudit, slug) is { } refused)
            return refused;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEvents.AsNoTracking();
        if (filter.Team is { } teamSlug)
        {
            var teamId = await db.Teams.Where(t => t.Slug == teamSlug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
            if (teamId is null)
                return TeamErrors.NotFound(teamSlug);
            query = query.Where(e => e.TeamId == teamId);
        }
        if (filter.Asset is { } assetName)
        {
            var subjects = await SubjectsOfAsync(db, filter.Team, assetName, filter.Version, ct);
            if (!subjects.IsSuccess)
                return subjects.Error!;
            var (assetIds, versionIds) = subjects.Value;
            query = query.Where(e => (e.SubjectType == "asset" && assetIds.Contains(e.SubjectId)) || (e.SubjectType == "version" && versionIds.Contains(e.SubjectId)));
        }
        if (filter.Actor is { Length: > 0 } actor)
            query = query.Where(e => e.ActorName.Contains(actor) || e.ActorId == actor);
        if (filter.Action is { Length: > 0 } action)
            query = query.Where(e => e.Action == action || e.Action.StartsWith(action + "."));
        // Compared as UTC: events are stored so, PostgreSQL refuses another offset for timestamptz, and SQLite would compare local times.
        if (filter.From?.ToUniversalTime() is { } after)
            query = query.Where(e => e.OccurredAt >= after);
        if (filter.To?.ToUniversalTime() is { } before)
            query = query.Where(e => e.OccurredAt <= before);
        if (filter.Text is { Length: > 0 } text)
            query = query.Where(e => e.SubjectId.Contains(text) || e.SubjectType.Contains(text) || e.Action.Contains(text) ||
                (e.After != null && e.After.Contains(text)) || (e.Before != null && e.Before.Contains(text)));

        var total = await query.CountAsync(ct);
        var items = await Sorted(query, filter).Skip(filter.Offset).Take(filter.Limit).ToListAsync(ct);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Slug, ct);
        if (filter.Offset == 0 && caller.GlobalRoles.Contains(GlobalRole.Auditor))
        {
            // A new search by an auditor is a sensitive read; turning its pages is not a new one.
            db.Record(caller.Actor, clock.GetUtcNow(), SearchedAction, "audit-log", filter.Team ?? "all-teams", filter.Team is null ? null : teams.FirstOrDefault(t => t.Value == filter.Team).Key,
                after: filter with { Offset = 0 });
            await db.SaveChangesAsync(ct);
        }
        var names = await ActivitySubjects.LookupAsync(db, items.Select(e => (e.SubjectType, e.SubjectId)), ct);
        return new AuditPage([.. items.Select(e => ToEntry(e, teams) with { Subject = names.GetValueOrDefault((e.SubjectType, e.SubjectId)) })], total);
    }

    /// <summary>The events about given subjects, newest first: the query behind a version's History tab.</summary>
    public static IQueryable<AuditEvent> Events(PortalDbContext db, string subjectType, string subjectId) =>
        db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == subjectType && e.SubjectId == subjectId).OrderByDescending(e => e.Sequence);

    private static IQueryable<AuditEvent> Sorted(IQueryable<AuditEvent> query, AuditFilter filter) => (filter.Sort, filter.Descending) switch
    {
        (AuditSort.Action, false) => query.OrderBy(e => e.Action).ThenBy(e => e.Sequence),
        (AuditSort.Action, true) => query.OrderByDescending(e => e.Action).ThenByDescending(e => e.Sequence),
        (AuditSort.Actor, false) => query.OrderBy(e => e.ActorName).ThenBy(e => e.Sequence),
        (AuditSort.Actor, true) => query.OrderByDescending(e => e.ActorName).ThenByDescending(e => e.Sequence),
        (_, false) => query.OrderBy(e => e.Sequence),
        _ => query.OrderByDescending(e => e.Sequence),
    };

    private static async Task<Result<(List<string> Assets, List<string> Versions)>> SubjectsOfAsync(PortalDbContext db, string? teamSlug, string assetName,
        string? version, CancellationToken ct)
    {
        var name = Names.Canonical(assetName);
        var assets = db.Assets.AsNoTracking().Where(a => a.Name == name);
        if (teamSlug is not null)
            assets = assets.Where(a => db.Teams.Any(t => t.Id == a.TeamId && t.Slug == teamSlug));
        var assetIds = await assets.Select(a => a.Id).ToListAsync(ct);
        if (assetIds.Count == 0)
            return Assets.RegistryErrors.AssetNotFound(assetName);
        var versions = db.Versions.AsNoTracking().Where(v => assetIds.Contains(v.AssetId));
        if (version is not null)
            versions = versions.Where(v => v.Version == version);
        var versionIds = (await versions.Select(v => v.Id).ToListAsync(ct)).Select(v => v.ToString()).ToList();
        return version is null
            ? (assetIds.Select(a => a.ToString()).ToList(), versionIds)
            : ([], versionIds);
    }

    private static AuditEntry ToEntry(AuditEvent e, IReadOnlyDictionary<Guid, string> teams) =>
        new(e.Sequence, e.OccurredAt, e.ActorKind, e.ActorId, e.ActorName, e.Action, e.SubjectType, e.SubjectId,
            e.TeamId is { } id && teams.TryGetValue(id, out var slug) ? slug : null, e.Before, e.After, e.CorrelationId, e.ClientAddress,
            Convert.ToHexStringLower(e.Hash));
}
