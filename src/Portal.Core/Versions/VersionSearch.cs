using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Teams;

namespace Portal.Core.Versions;

public sealed record VersionSearch(string? Tag = null, string? Metric = null, double? MinValue = null, string? Cursor = null, int Limit = 25);

public sealed record VersionSearchHit(Guid Id, string Asset, AssetKind AssetKind, string Version, VersionStatus Status, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt);

internal static class SearchCursor
{
    public static string Encode(DateTimeOffset at, Guid id) => $"{at.UtcTicks}.{id:N}";

    public static (DateTimeOffset CreatedAt, Guid Id)? Decode(string? cursor)
    {
        var parts = cursor?.Split('.');
        return parts is [var ticks, var id] && long.TryParse(ticks, out var t) && Guid.TryParseExact(id, "N", out var g) && t is > 0 and < 3155378975999999999
            ? (new DateTimeOffset(t, TimeSpan.Zero), g)
            : null;
    }
}

public sealed partial class VersionService
{
    /// <summary>
    /// Versions of the team's assets with a tag and/or a metric at or above a value, newest first, a
    /// page at a time (keyset on creation time and id).
    /// </summary>
    public async Task<Result<Page<VersionSearchHit>>> SearchAsync(CallerAccess caller, string team, VersionSearch search, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, team) is { } denied)
            return denied;
        if (Problems(search) is { } invalid)
            return invalid;
        var limit = search.Limit;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamId = await db.TeamIdAsync(team, ct);
        if (teamId is null)
            return TeamErrors.NotFound(team);
        // (TeamId, CreatedAt, Id) is one index: the database walks the team's newest versions in order and
        // stops after one page of matches instead of sorting them all.
        var query = db.Versions.AsNoTracking().Where(v => v.TeamId == teamId);
        if (!string.IsNullOrWhiteSpace(search.Tag))
        {
            var tag = search.Tag.Trim().ToLowerInvariant();
            query = query.Where(v => v.Tags.Contains(tag));
        }
        if (!string.IsNullOrWhiteSpace(search.Metric))
        {
            var name = search.Metric.Trim();
            var min = search.MinValue ?? double.MinValue;
            query = query.Where(v => db.Metrics.Any(m => m.VersionId == v.Id && m.Name == name && m.Slice == "" && m.Value >= min));
        }
        if (SearchCursor.Decode(search.Cursor) is { } after)
            query = query.Where(v => v.CreatedAt < after.CreatedAt || (v.CreatedAt == after.CreatedAt && v.Id.CompareTo(after.Id) < 0));
        var rows = await query.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).Take(limit + 1)
            .Select(v => new VersionSearchHit(v.Id, db.Assets.Where(a => a.Id == v.AssetId).Select(a => a.Name).First(),
                db.Assets.Where(a => a.Id == v.AssetId).Select(a => a.Kind).First(), v.Version, v.Status, v.Tags, v.CreatedAt))
            .ToListAsync(ct);
        var items = rows.Take(limit).ToList();
        return new Page<VersionSearchHit>(items, rows.Count > limit ? SearchCursor.Encode(items[^1].CreatedAt, items[^1].Id) : null);
    }


    private static Error? Problems(VersionSearch search)
    {
        var fields = new Dictionary<string, string[]>();
        if (Paging.LimitProblem(search.Limit) is { } limit)
            fields["limit"] = [limit];
        if (!string.IsNullOrEmpty(search.Cursor) && SearchCursor.Decode(search.Cursor) is null)
            fields["cursor"] = [Paging.CursorMessage];
        if (Names.Problem(search.Tag, 64) is { } tag)
            fields["tag"] = [tag];
        if (Names.Problem(search.Metric, 100) is { } metric)
            fields["metric"] = [metric];
        if (search.MinValue is { } min && !double.IsFinite(min))
            fields["min"] = ["A finite number: NaN and Infinity are not thresholds."];
        return fields.Count == 0 ? null : Paging.Invalid(fields);
    }
}
