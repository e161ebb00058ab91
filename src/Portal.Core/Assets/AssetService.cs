using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Assets;

public sealed record AssetInput(string Name, AssetKind Kind, string Description, string? Owner, IReadOnlyList<string>? Tags);

public sealed record AssetUpdate(string Description, string Owner, IReadOnlyList<string> Tags);

public sealed record AssetDetail(Guid Id, string Team, string TeamName, string Name, AssetKind Kind, string Description, string Owner,
    IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, int Revision,
    IReadOnlyList<string> SharedWith, bool CanWrite);

public sealed partial class AssetService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<AssetDetail>> CreateAsync(CallerAccess caller, string teamSlug, AssetInput input, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.RegisterAssets, teamSlug) is { } denied)
            return denied;
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
        var found = await RegistryAccess.FindAsync(db, caller, teamSlug, name, PortalAction.ReadAsset, ct);
        return found.IsSuccess ? await DetailAsync(db, caller, teamSlug, found.Value.Asset.Id, ct) : found.Error!;
    }

    public async Task<Result<AssetDetail>> UpdateAsync(CallerAccess caller, string teamSlug, string name, AssetUpdate update, int? ifMatch, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, teamSlug, name, PortalAction.RegisterAssets, ct, track: true);
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
        var found = await RegistryAccess.FindAsync(db, caller, teamSlug, name, PortalAction.ShareAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
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
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is UniqueViolationException or DbUpdateConcurrencyException)
        {
            // The same change made at the same moment by someone else: the share is as asked, recorded once, by them.
            db.ChangeTracker.Clear();
        }
        return await DetailAsync(db, caller, teamSlug, asset.Id, ct);
    }

    private static async Task<AssetDetail> DetailAsync(PortalDbContext db, CallerAccess caller, string teamSlug, Guid id, CancellationToken ct)
    {
        var asset = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == id, ct);
        var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == asset.TeamId, ct);
        var sharedWith = await db.AssetShares.Where(s => s.AssetId == id)
            .Join(db.Teams, s => s.TeamId, t => t.Id, (s, t) => t.Slug).OrderBy(s => s).ToListAsync(ct);
        // Those who read it only through a share learn of their own team's share, not which other teams exist (ADR-003).
        if (!caller.Allows(PortalAction.ViewTeam, teamSlug))
            sharedWith = sharedWith.Where(caller.Teams.ContainsKey).ToList();
        return new AssetDetail(asset.Id, team.Slug, team.Name, asset.Name, asset.Kind, asset.Description, asset.Owner, asset.Tags,
            asset.CreatedAt, asset.CreatedBy, asset.UpdatedAt, asset.Revision, sharedWith, caller.Allows(PortalAction.RegisterAssets, teamSlug));
    }

    internal static List<string> Normalize(IReadOnlyList<string>? tags) =>
        (tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
}
