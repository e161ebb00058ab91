using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lineage;
using Portal.Core.Teams;

namespace Portal.Core.Versions;

public sealed record UpstreamReference(LineageKind Kind, string Team, string Asset, string Version);

public sealed record VersionInput(
    string Version,
    string? Description = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<UpstreamReference>? Lineage = null,
    string? GitRepository = null,
    string? GitCommit = null,
    string? ContainerImageDigest = null,
    string? PipelineRunUrl = null,
    string? ExternalUri = null,
    string? ExternalHash = null,
    IReadOnlyList<string>? PromptVariables = null,
    long? RowCount = null,
    IReadOnlyDictionary<string, string>? Schema = null);

public sealed record ArtifactView(Guid Id, string Path, long Size, string Sha256, bool IsUnsafeFormat, bool IsCorrupt, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record LineageView(LineageKind Kind, string Team, string Asset, AssetKind AssetKind, string Version, VersionStatus Status);

public sealed record VersionSummary(Guid Id, string Version, VersionStatus Status, string Description, IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? FinalizedAt, int ArtifactCount);

public sealed record VersionDetail(Guid Id, string Team, string Asset, AssetKind AssetKind, string Version, VersionStatus Status, string Description,
    IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Parameters, string? GitRepository, string? GitCommit, string? ContainerImageDigest,
    string? PipelineRunUrl, string? ExternalUri, string? ExternalHash, IReadOnlyList<string> PromptVariables, long? RowCount,
    IReadOnlyDictionary<string, string> Schema, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? FinalizedAt,
    int Revision, IReadOnlyList<ArtifactView> Artifacts, IReadOnlyList<LineageView> Upstream, IReadOnlyList<LineageView> Downstream, bool CanWrite);

public sealed record VersionEvent(long Sequence, DateTimeOffset OccurredAt, string ActorName, string Action, string Details);

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

public sealed class VersionService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<VersionDetail>> CreateAsync(CallerAccess caller, string team, string asset, VersionInput input, string? idempotencyKey = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var replay = await Idempotency.FindAsync(db, caller, idempotencyKey, "version.create:" + found.Value.Asset.Id, input, ct);
        if (replay is { } known)
            return known.Error ?? (Result<VersionDetail>)await DetailAsync(db, caller, team, known.ResourceId, ct);
        var parsed = AssetVersion.ParseVersion(input.Version);
        if (!parsed.IsSuccess)
            return parsed.Error!;
        if (Validate(input) is { } invalid)
            return invalid;
        var assetId = found.Value.Asset.Id;
        var text = parsed.Value.ToString();
        if (await db.Versions.AnyAsync(v => v.AssetId == assetId && v.Version == text, ct))
            return RegistryErrors.VersionExists;

        var now = clock.GetUtcNow();
        var version = AssetVersion.Create(found.Value.Team.Id, assetId, parsed.Value, caller.Actor.Name, caller.Actor.Id, now);
        version.Description = input.Description?.Trim() ?? "";
        version.Tags = AssetService.Normalize(input.Tags);
        version.Parameters = new Dictionary<string, string>(input.Parameters ?? new Dictionary<string, string>());
        version.GitRepository = input.GitRepository;
        version.GitCommit = input.GitCommit?.ToLowerInvariant();
        version.ContainerImageDigest = input.ContainerImageDigest;
        version.PipelineRunUrl = input.PipelineRunUrl;
        version.ExternalUri = input.ExternalUri;
        version.ExternalHash = input.ExternalHash;
        version.PromptVariables = (input.PromptVariables ?? []).Select(v => v.Trim()).Distinct().ToList();
        version.RowCount = input.RowCount;
        version.Schema = new Dictionary<string, string>(input.Schema ?? new Dictionary<string, string>());
        db.Versions.Add(version);

        var edges = new List<object>();
        foreach (var reference in input.Lineage ?? [])
        {
            var upstream = await FindUpstreamAsync(db, caller, reference, ct);
            if (upstream is null)
                return RegistryErrors.UpstreamNotFound($"{reference.Team}/{reference.Asset}@{reference.Version}");
            db.LineageEdges.Add(new LineageEdge { VersionId = version.Id, UpstreamVersionId = upstream.Value, Kind = reference.Kind });
            edges.Add(new { reference.Kind, reference.Team, reference.Asset, reference.Version });
        }
        Idempotency.Remember(db, caller, idempotencyKey, "version.create:" + assetId, input, version.Id, now);
        db.Record(caller.Actor, now, "version.registered", "version", version.Id.ToString(), found.Value.Team.Id,
            after: new { Asset = asset, version.Version, version.Parameters, version.Tags, Lineage = edges, version.GitRepository, version.GitCommit });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost a race: a concurrent retry with the same key, or the same version number.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            var raced = await Idempotency.FindAsync(again, caller, idempotencyKey, "version.create:" + assetId, input, ct);
            return raced is { Error: null } r ? await DetailAsync(again, caller, team, r.ResourceId, ct) : RegistryErrors.VersionExists;
        }
        return await DetailAsync(db, caller, team, version.Id, ct);
    }

    public async Task<Result<VersionDetail>> GetAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        return found.IsSuccess ? await DetailAsync(db, caller, team, found.Value.Version.Id, ct) : found.Error!;
    }

    public async Task<Result<IReadOnlyList<VersionSummary>>> ListAsync(CallerAccess caller, string team, string asset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Asset.Id;
        var rows = await db.Versions.AsNoTracking().Where(v => v.AssetId == id)
            .OrderByDescending(v => v.Major).ThenByDescending(v => v.Minor).ThenByDescending(v => v.Patch).ThenByDescending(v => v.CreatedAt)
            .Take(500)
            .Select(v => new VersionSummary(v.Id, v.Version, v.Status, v.Description, v.Tags, v.CreatedAt, v.CreatedBy, v.FinalizedAt,
                db.Artifacts.Count(a => a.VersionId == v.Id)))
            .ToListAsync(ct);
        return Result<IReadOnlyList<VersionSummary>>.From(rows);
    }

    /// <summary>
    /// Versions of the team's assets with a tag and/or a metric at or above a value, newest first, a
    /// page at a time (keyset on creation time and id).
    /// </summary>
    public async Task<Result<Page<VersionSearchHit>>> SearchAsync(CallerAccess caller, string team, VersionSearch search, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, team) is { } denied)
            return denied;
        var limit = Math.Clamp(search.Limit, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamId = await db.Teams.Where(t => t.Slug == team).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
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

    /// <summary>Everything that happened to the version, from the audit trail, newest first.</summary>
    public async Task<Result<IReadOnlyList<VersionEvent>>> HistoryAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Version.Id.ToString();
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.SubjectType == "version" && e.SubjectId == id)
            .OrderByDescending(e => e.Sequence).Take(200)
            .Select(e => new VersionEvent(e.Sequence, e.OccurredAt, e.ActorName, e.Action, e.After ?? e.Before ?? ""))
            .ToListAsync(ct);
        return Result<IReadOnlyList<VersionEvent>>.From(events);
    }

    public async Task<Result<(string Patch, string Minor, string Major)>> SuggestNextAsync(CallerAccess caller, string team, string asset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Asset.Id;
        var existing = await db.Versions.Where(v => v.AssetId == id).Select(v => v.Version).ToListAsync(ct);
        return AssetVersion.SuggestNext(existing);
    }

    /// <summary>Pending to Ready: from here on artifacts, parameters and lineage are frozen.</summary>
    public Task<Result<VersionDetail>> FinalizeAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default) =>
        TransitionAsync(caller, team, asset, version, VersionStatus.Ready, ct);

    public Task<Result<VersionDetail>> AbandonAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default) =>
        TransitionAsync(caller, team, asset, version, VersionStatus.Abandoned, ct);

    /// <summary>Tags and description stay editable after finalization; each edit is audited with before and after.</summary>
    public async Task<Result<VersionDetail>> UpdateAsync(CallerAccess caller, string team, string asset, string version, string description,
        IReadOnlyList<string> tags, int? ifMatch, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        if (ifMatch is { } expected && expected != v.Revision)
            return RegistryErrors.Stale;
        var normalized = AssetService.Normalize(tags);
        if (Asset.TagError(normalized) is { } tagError)
            return Error.Validation("version.invalid", tagError, new Dictionary<string, string[]> { ["tags"] = [tagError] });
        if ((description ?? "").Length > Asset.MaxDescriptionLength)
            return Error.Validation("version.invalid", "The description is too long.");
        var before = new { v.Description, v.Tags };
        v.Description = description?.Trim() ?? "";
        v.Tags = normalized;
        v.Revision++;
        db.Record(caller.Actor, clock.GetUtcNow(), "version.updated", "version", v.Id.ToString(), found.Value.TeamId, before, new { v.Description, v.Tags });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RegistryErrors.Stale;
        }
        return await DetailAsync(db, caller, team, v.Id, ct);
    }

    private async Task<Result<VersionDetail>> TransitionAsync(CallerAccess caller, string team, string asset, string version, VersionStatus target, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        if (v.Status != VersionStatus.Pending)
            return v.Status == target ? await DetailAsync(db, caller, team, v.Id, ct) : RegistryErrors.NotPending;
        if (target == VersionStatus.Ready && v.ExternalUri is null && !await db.Artifacts.AnyAsync(a => a.VersionId == v.Id, ct))
            return RegistryErrors.NoArtifacts;
        var now = clock.GetUtcNow();
        v.Status = target;
        v.Revision++;
        if (target == VersionStatus.Ready)
            v.FinalizedAt = now;
        db.Record(caller.Actor, now, target == VersionStatus.Ready ? "version.finalized" : "version.abandoned", "version", v.Id.ToString(), found.Value.TeamId,
            before: new { Status = VersionStatus.Pending }, after: new { Status = target });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RegistryErrors.Stale;
        }
        return await DetailAsync(db, caller, team, v.Id, ct);
    }

    internal static async Task<Result<(Guid TeamId, Asset Asset, AssetVersion Version)>> FindVersionAsync(PortalDbContext db, CallerAccess caller,
        string team, string asset, string version, PortalAction action, CancellationToken ct)
    {
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, action, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var assetId = found.Value.Asset.Id;
        var normalized = AssetVersion.ParseVersion(version) is { IsSuccess: true } p ? p.Value.ToString() : version;
        var v = await db.Versions.SingleOrDefaultAsync(x => x.AssetId == assetId && x.Version == normalized, ct);
        return v is null ? RegistryErrors.VersionNotFound(version) : (found.Value.Team.Id, found.Value.Asset, v);
    }

    private static async Task<Guid?> FindUpstreamAsync(PortalDbContext db, CallerAccess caller, UpstreamReference reference, CancellationToken ct)
    {
        var found = await RegistryAccess.FindAsync(db, caller, reference.Team, reference.Asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return null;
        var assetId = found.Value.Asset.Id;
        var normalized = AssetVersion.ParseVersion(reference.Version) is { IsSuccess: true } p ? p.Value.ToString() : reference.Version;
        return await db.Versions.Where(v => v.AssetId == assetId && v.Version == normalized && v.Status == VersionStatus.Ready)
            .Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct);
    }

    private static Error? Validate(VersionInput input)
    {
        var fields = new Dictionary<string, string[]>();
        var tags = AssetService.Normalize(input.Tags);
        if (Asset.TagError(tags) is { } tagError)
            fields["tags"] = [tagError];
        if ((input.Description ?? "").Length > Asset.MaxDescriptionLength)
            fields["description"] = [$"At most {Asset.MaxDescriptionLength} characters."];
        if (input.Parameters is { } parameters && (parameters.Count > AssetVersion.MaxParameters
            || parameters.Any(p => p.Key.Length is 0 or > 100 || p.Value is null || p.Value.Length > 2000)))
            fields["parameters"] = [$"At most {AssetVersion.MaxParameters} parameters; keys 1-100 characters, values at most 2000."];
        if (input.PromptVariables is { } variables && (variables.Count > 100 || variables.Any(v => !System.Text.RegularExpressions.Regex.IsMatch(v.Trim(), "^[A-Za-z_][A-Za-z0-9_]{0,63}$"))))
            fields["promptVariables"] = ["Up to 100 variable names: letters, digits and underscores, not starting with a digit."];
        if (input.RowCount is < 0)
            fields["rowCount"] = ["A row count cannot be negative."];
        if (input.Schema is { } schema && (schema.Count > 2000 || schema.Any(c => c.Key.Length is 0 or > 200 || c.Value is null || c.Value.Length > 100)))
            fields["schema"] = ["At most 2000 columns; names 1-200 characters, types at most 100."];
        if (SafeUri.Problem(input.GitRepository, SafeUri.RepositorySchemes) is { } repo)
            fields["gitRepository"] = [repo];
        if (input.GitCommit is { } commit && !System.Text.RegularExpressions.Regex.IsMatch(commit, "^[0-9a-fA-F]{7,64}$"))
            fields["gitCommit"] = ["A git commit is 7-64 hexadecimal characters."];
        if (input.ContainerImageDigest is { } digest && !System.Text.RegularExpressions.Regex.IsMatch(digest, "^sha256:[0-9a-f]{64}$"))
            fields["containerImageDigest"] = ["An image digest looks like sha256:<64 hex>."];
        if (SafeUri.Problem(input.PipelineRunUrl, SafeUri.WebSchemes) is { } run)
            fields["pipelineRunUrl"] = [run];
        if (SafeUri.Problem(input.ExternalUri, SafeUri.DataSchemes) is { } uri)
            fields["externalUri"] = [uri];
        if ((input.ExternalUri is null) != (input.ExternalHash is null))
            fields["externalHash"] = ["An external reference needs both a location and a content hash."];
        else if (input.ExternalHash is { } hash && !System.Text.RegularExpressions.Regex.IsMatch(hash, "^(md5:[0-9a-f]{32}|sha256:[0-9a-f]{64}|etag:[0-9A-Za-z\"-]{1,100}|version:[0-9A-Za-z._-]{1,100})$"))
            fields["externalHash"] = ["Use md5:<32 hex>, sha256:<64 hex>, etag:<value> or version:<object version id>."];
        return fields.Count == 0 ? null : Error.Validation("version.invalid", "The version has invalid fields.", fields);
    }

    private static async Task<VersionDetail> DetailAsync(PortalDbContext db, CallerAccess caller, string team, Guid id, CancellationToken ct)
    {
        var v = await db.Versions.AsNoTracking().SingleAsync(x => x.Id == id, ct);
        var asset = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == v.AssetId, ct);
        var artifacts = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == id).OrderBy(a => a.Path)
            .Join(db.Blobs, a => a.Sha256, b => b.Sha256, (a, b) => new ArtifactView(a.Id, a.Path, a.Size, a.Sha256, a.IsUnsafeFormat, b.Status == BlobStatus.Corrupt, a.CreatedAt, a.CreatedBy))
            .ToListAsync(ct);
        var upstream = await LineageQuery(db, db.LineageEdges.Where(e => e.VersionId == id), upstream: true).ToListAsync(ct);
        var downstream = await LineageQuery(db, db.LineageEdges.Where(e => e.UpstreamVersionId == id), upstream: false).ToListAsync(ct);
        // Only the lineage the caller may see is listed: another team's private downstream stays private.
        var visible = new List<LineageView>();
        foreach (var l in downstream)
        {
            var otherAssetId = await db.Assets.Where(a => a.Name == l.Asset && db.Teams.Any(t => t.Id == a.TeamId && t.Slug == l.Team)).Select(a => a.Id).SingleAsync(ct);
            if (await RegistryAccess.CanReadAsync(db, caller, l.Team, otherAssetId, ct))
                visible.Add(l);
        }
        return new VersionDetail(v.Id, team, asset.Name, asset.Kind, v.Version, v.Status, v.Description, v.Tags, v.Parameters, v.GitRepository, v.GitCommit,
            v.ContainerImageDigest, v.PipelineRunUrl, v.ExternalUri, v.ExternalHash, v.PromptVariables, v.RowCount, v.Schema, v.CreatedAt, v.CreatedBy, v.FinalizedAt, v.Revision,
            artifacts, upstream, visible, caller.Allows(PortalAction.RegisterAssets, team));
    }

    internal static IQueryable<LineageView> LineageQuery(PortalDbContext db, IQueryable<LineageEdge> edges, bool upstream) =>
        from e in edges
        join v in db.Versions on (upstream ? e.UpstreamVersionId : e.VersionId) equals v.Id
        join a in db.Assets on v.AssetId equals a.Id
        join t in db.Teams on a.TeamId equals t.Id
        orderby e.Kind, a.Name
        select new LineageView(e.Kind, t.Slug, a.Name, a.Kind, v.Version, v.Status);
}
