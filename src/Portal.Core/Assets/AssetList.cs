using Portal.Core.Access;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Assets;

public enum AssetSort
{
    Name,
    RecentlyUpdated,
}

public sealed record AssetFilter(AssetKind? Kind = null, string? Tag = null, string? Text = null, string? Cursor = null, int Limit = 25, AssetSort Sort = AssetSort.Name);

public sealed record AssetListItem(Guid Id, string Team, string Name, AssetKind Kind, string Description, string Owner, IReadOnlyList<string> Tags,
    string? LatestVersion, int VersionCount, DateTimeOffset UpdatedAt, bool SharedWithMe);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The paged asset list: filters, two sort orders, opaque cursors.</summary>
public sealed partial class AssetService
{
    /// <summary>The team's assets and those shared with it, by name, a page at a time (keyset on the name).</summary>
    public async Task<Result<Page<AssetListItem>>> ListAsync(CallerAccess caller, string teamSlug, AssetFilter filter, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, teamSlug) is { } denied)
            return denied;
        if (Problems(filter) is { } invalid)
            return invalid;
        var limit = filter.Limit;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == teamSlug, ct);
        if (team is null)
            return TeamErrors.NotFound(teamSlug);
        var sharedIds = db.AssetShares.Where(s => s.TeamId == team.Id).Select(s => s.AssetId);
        var query = db.Assets.AsNoTracking().Where(a => a.TeamId == team.Id || sharedIds.Contains(a.Id));
        if (filter.Kind is { } kind)
            query = query.Where(a => a.Kind == kind);
        if (!string.IsNullOrWhiteSpace(filter.Tag))
            query = query.Where(a => a.Tags.Contains(filter.Tag.Trim().ToLowerInvariant()));
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim().ToLower();
            query = query.Where(a => a.Name.ToLower().Contains(text) || a.Description.ToLower().Contains(text));
        }
        IQueryable<Asset> ordered;
        if (filter.Sort == AssetSort.RecentlyUpdated)
        {
            if (Versions.SearchCursor.Decode(filter.Cursor) is { } last)
                query = query.Where(a => a.UpdatedAt < last.CreatedAt || (a.UpdatedAt == last.CreatedAt && a.Id.CompareTo(last.Id) < 0));
            ordered = query.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id);
        }
        else
        {
            if (DecodeCursor(filter.Cursor) is { } after)
                query = query.Where(a => string.Compare(a.Name, after) > 0);
            ordered = query.OrderBy(a => a.Name);
        }
        var rows = await ordered.Take(limit + 1)
            .Select(a => new
            {
                a.Id, a.TeamId, a.Name, a.Kind, a.Description, a.Owner, a.Tags, a.UpdatedAt,
                Team = db.Teams.Where(t => t.Id == a.TeamId).Select(t => t.Slug).First(),
                Latest = db.Versions.Where(v => v.AssetId == a.Id && v.Status != VersionStatus.Abandoned)
                    .OrderByDescending(v => v.SortKey)
                    .Select(v => v.Version).FirstOrDefault(),
                Count = db.Versions.Count(v => v.AssetId == a.Id),
            })
            .ToListAsync(ct);
        var items = rows.Take(limit)
            .Select(r => new AssetListItem(r.Id, r.Team, r.Name, r.Kind, r.Description, r.Owner, r.Tags, r.Latest, r.Count, r.UpdatedAt, r.TeamId != team.Id))
            .ToList();
        var next = rows.Count <= limit ? null
            : filter.Sort == AssetSort.RecentlyUpdated ? Versions.SearchCursor.Encode(items[^1].UpdatedAt, items[^1].Id)
            : EncodeCursor(items[^1].Name);
        return new Page<AssetListItem>(items, next);
    }

    private static Error? Problems(AssetFilter filter)
    {
        var fields = new Dictionary<string, string[]>();
        if (Paging.LimitProblem(filter.Limit) is { } limit)
            fields["limit"] = [limit];
        if (filter.Kind is { } kind && !Enum.IsDefined(kind))
            fields["kind"] = ["Model, Dataset or PromptTemplate."];
        if (!Enum.IsDefined(filter.Sort))
            fields["sort"] = ["Name or RecentlyUpdated."];
        var cursorOk = string.IsNullOrEmpty(filter.Cursor)
            || (filter.Sort == AssetSort.RecentlyUpdated ? Versions.SearchCursor.Decode(filter.Cursor) is not null : Asset.IsValidName(DecodeCursor(filter.Cursor)));
        if (!cursorOk)
            fields["cursor"] = [Paging.CursorMessage];
        if (Names.Problem(filter.Tag, 64) is { } tag)
            fields["tag"] = [tag];
        if (Names.Problem(filter.Text, 200) is { } text)
            fields["q"] = [text];
        return fields.Count == 0 ? null : Paging.Invalid(fields);
    }

    private static string EncodeCursor(string name) => Convert.ToBase64String(Encoding.UTF8.GetBytes(name)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
            return null;
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
