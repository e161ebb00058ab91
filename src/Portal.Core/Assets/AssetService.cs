using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Assets;

public sealed record AssetInput(string Name, AssetKind Kind, string Description, string? Owner, IReadOnlyList<string>? Tags);

public sealed record AssetUpdate(string Description, string Owner, IReadOnlyList<string> Tags);

public enum AssetSort
{
    Name,
    RecentlyUpdated,
}

public sealed record AssetFilter(AssetKind? Kind = null, string? Tag = null, string? Text = null, string? Cursor = null, int Limit = 25, AssetSort Sort = AssetSort.Name);

public sealed record AssetListItem(Guid Id, string Team, string Name, AssetKind Kind, string Description, string Owner, IReadOnlyList<string> Tags,
    string? LatestVersion, int VersionCount, DateTimeOffset UpdatedAt, bool SharedWithMe);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record AssetDetail(Guid Id, string Team, string TeamName, string Name, AssetKind Kind, string Description, string Owner,
    IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, int Revision,
    IReadOnlyList<string> SharedWith, bool CanWrite);

public sealed class AssetService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<AssetDetail>> CreateAsync(CallerAccess caller, string teamSlug, AssetInput input, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (!caller.CanView(teamSlug))
            return TeamErrors.NotFound(teamSlug);
        if (!caller.Has(teamSlug, TeamRole.Contributor))
            return TeamErrors.Forbidden("register assets");
        var tags = Normalize(input.Tags);
        var name = Names.Canonical(input.Name ?? "");
        var owner = string.IsNullOrWhiteSpace(input.Owner) ? caller.Actor.Name : input.Owner.Trim();
        if (!Enum.IsDefined(input.Kind))
            return Error.Validation("asset.invalid", "Kind must be Model, Dataset or PromptTemplate.");
        if (Asset.Validate(name, input.Description ?? "", tags, owner) is { } invalid)
            return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.SingleAsync(t => t.Slug == teamSlug, ct);
        var replay = await Idempotency.FindAsync(db, caller, team.Id, idempotencyKey, "asset.create", input, ct);
        if (replay is { } known)
            return known.Error ?? (Result<AssetDetail>)await DetailAsync(db, caller, teamSlug, known.ResourceId, ct);
        if (await db.Assets.AnyAsync(a => a.TeamId == team.Id && a.Name == name, ct))
            return RegistryErrors.AssetExists;

        var now = clock.GetUtcNow();
        var asset = new Asset
        {
            TeamId = team.Id, Kind = input.Kind, Name = name, Description = input.Description?.Trim() ?? "", Owner = owner, Tags = tags,
            CreatedAt = now, UpdatedAt = now, CreatedBy = caller.Actor.Name,
        };
        db.Assets.Add(asset);
        Idempotency.Remember(db, caller, team.Id, idempotencyKey, "asset.create", input, asset.Id, now);
        db.Record(caller.Actor, now, "asset.created", "asset", asset.Id.ToString(), team.Id,
            after: new { asset.Name, asset.Kind, asset.Description, asset.Owner, asset.Tags });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (UniqueViolationException)
        {
            // A concurrent create won the unique index on (team, name).
            return RegistryErrors.AssetExists;
        }
        return await DetailAsync(db, caller, teamSlug, asset.Id, ct);
    }

    public async Task<Result<AssetDetail>> GetAsync(CallerAccess caller, string teamSlug, string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, teamSlug, name, write: false, ct);
        return found.IsSuccess ? await DetailAsync(db, caller, teamSlug, found.Value.Asset.Id, ct) : found.Error!;
    }

    public async Task<Result<AssetDetail>> UpdateAsync(CallerAccess caller, string teamSlug, string name, AssetUpdate update, int? ifMatch, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, teamSlug, name, write: true, ct, track: true);
        if (!found.IsSuccess)
            return found.Error!;
        var asset = found.Value.Asset;
        if (ifMatch is { } expected && expected != asset.Revision)
            return RegistryErrors.Stale;
        var tags = Normalize(update.Tags);
        if (Asset.Validate(asset.Name, update.Description ?? "", tags, update.Owner ?? "") is { } invalid)
            return invalid;
        var before = new { asset.Description, asset.Owner, asset.Tags };
        asset.Description = update.Description?.Trim() ?? "";
        asset.Owner = update.Owner!.Trim();
        asset.Tags = tags;
        asset.Revision++;
        asset.UpdatedAt = clock.GetUtcNow();
        db.Record(caller.Actor, asset.UpdatedAt, "asset.updated", "asset", asset.Id.ToString(), asset.TeamId, before, new { asset.Description, asset.Owner, asset.Tags });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RegistryErrors.Stale;
        }
        return await DetailAsync(db, caller, teamSlug, asset.Id, ct);
    }

    /// <summary>Gives another team read-only access (or takes it back). Only the owning team's admins decide.</summary>
    public async Task<Result<AssetDetail>> SetSharingAsync(CallerAccess caller, string teamSlug, string name, string otherTeamSlug, bool shared, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, teamSlug, name, write: false, ct);
        if (!found.IsSuccess)
            return found.Error!;
        if (!caller.Has(teamSlug, TeamRole.TeamAdmin))
            return TeamErrors.Forbidden("share assets");
        var other = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == otherTeamSlug, ct);
        if (other is null || other.Id == found.Value.Team.Id)
            return Error.Validation("asset.share-invalid", $"'{otherTeamSlug}' is not another team.");
        var asset = found.Value.Asset;
        var existing = await db.AssetShares.SingleOrDefaultAsync(s => s.AssetId == asset.Id && s.TeamId == other.Id, ct);
        var now = clock.GetUtcNow();
        if (shared && existing is null)
        {
            db.AssetShares.Add(new AssetShare { AssetId = asset.Id, TeamId = other.Id, SharedAt = now, SharedBy = caller.Actor.Name });
            db.Record(caller.Actor, now, "asset.shared", "asset", asset.Id.ToString(), asset.TeamId, after: new { Team = other.Slug });
        }
        else if (!shared && existing is not null)
        {
            db.AssetShares.Remove(existing);
            db.Record(caller.Actor, now, "asset.unshared", "asset", asset.Id.ToString(), asset.TeamId, before: new { Team = other.Slug });
        }
        await db.SaveChangesAsync(ct);
        return await DetailAsync(db, caller, teamSlug, asset.Id, ct);
    }

    /// <summary>The team's assets and those shared with it, by name, a page at a time (keyset on the name).</summary>
    public async Task<Result<Page<AssetListItem>>> ListAsync(CallerAccess caller, string teamSlug, AssetFilter filter, CancellationToken ct = default)
    {
        if (!caller.CanView(teamSlug))
            return TeamErrors.NotFound(teamSlug);
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
                    .OrderByDescending(v => v.Major).ThenByDescending(v => v.Minor).ThenByDescending(v => v.Patch).ThenByDescending(v => v.CreatedAt)
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

    private static async Task<AssetDetail> DetailAsync(PortalDbContext db, CallerAccess caller, string teamSlug, Guid id, CancellationToken ct)
    {
        var asset = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == id, ct);
        var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == asset.TeamId, ct);
        var sharedWith = await db.AssetShares.Where(s => s.AssetId == id)
            .Join(db.Teams, s => s.TeamId, t => t.Id, (s, t) => t.Slug).OrderBy(s => s).ToListAsync(ct);
        return new AssetDetail(asset.Id, team.Slug, team.Name, asset.Name, asset.Kind, asset.Description, asset.Owner, asset.Tags,
            asset.CreatedAt, asset.CreatedBy, asset.UpdatedAt, asset.Revision, sharedWith, caller.Has(teamSlug, TeamRole.Contributor));
    }

    internal static List<string> Normalize(IReadOnlyList<string>? tags) =>
        (tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();

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
