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
public sealed record ArtifactView(Guid Id, string Path, long Size, string Sha256, bool IsUnsafeFormat, bool IsCorrupt, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record LineageView(LineageKind Kind, string Team, string Asset, AssetKind AssetKind, string Version, VersionStatus Status);

public sealed record VersionSummary(Guid Id, string Version, VersionStatus Status, string Description, IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? FinalizedAt, int ArtifactCount, Lifecycle.Stage Stage);

public sealed record VersionDetail(Guid Id, string Team, string Asset, AssetKind AssetKind, string Version, VersionStatus Status, string Description,
    IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Parameters, string? GitRepository, string? GitCommit, string? ContainerImageDigest,
    string? PipelineRunUrl, string? ExternalUri, string? ExternalHash, IReadOnlyList<string> PromptVariables, long? RowCount,
    IReadOnlyDictionary<string, string> Schema, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? FinalizedAt,
    int Revision, IReadOnlyList<ArtifactView> Artifacts, IReadOnlyList<LineageView> Upstream, IReadOnlyList<LineageView> Downstream, bool CanWrite);

public sealed record VersionEvent(long Sequence, DateTimeOffset OccurredAt, string ActorName, string Action, string Details);

public sealed partial class VersionService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, GoldenChecks.IGoldenRunQueue goldenRuns,
    IEnumerable<GoldenChecks.IGoldenModelRunner> runners)
{
    public async Task<Result<VersionDetail>> GetAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        return found.IsSuccess ? await DetailAsync(db, caller, team, found.Value.Version.Id, ct) : found.Error!;
    }

    /// <summary>
    /// An asset's versions, highest SemVer precedence first, a page at a time: keyset on the stored
    /// precedence key, so the thousandth page costs what the first does.
    /// </summary>
    public async Task<Result<Page<VersionSummary>>> ListAsync(CallerAccess caller, string team, string asset, string? cursor = null, int limit = 100,
        CancellationToken ct = default)
    {
        var fields = new Dictionary<string, string[]>();
        if (Paging.LimitProblem(limit) is { } limitProblem)
            fields["limit"] = [limitProblem];
        if (!string.IsNullOrEmpty(cursor) && !VersionOrder.IsKey(cursor))
            fields["cursor"] = [Paging.CursorMessage];
        if (fields.Count > 0)
            return Paging.Invalid(fields);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Asset.Id;
        var query = db.Versions.AsNoTracking().Where(v => v.AssetId == id);
        if (!string.IsNullOrEmpty(cursor))
            query = query.Where(v => string.Compare(v.SortKey, cursor) < 0);
        var rows = await query.OrderByDescending(v => v.SortKey).Take(limit + 1)
            .Select(v => new VersionSummary(v.Id, v.Version, v.Status, v.Description, v.Tags, v.CreatedAt, v.CreatedBy, v.FinalizedAt,
                db.Artifacts.Count(a => a.VersionId == v.Id), v.Stage))
            .ToListAsync(ct);
        var items = rows.Take(limit).ToList();
        return new Page<VersionSummary>(items, rows.Count > limit ? VersionOrder.KeyOf(items[^1].Version) : null);
    }

    /// <summary>Everything that happened to the version, from the audit trail, newest first.</summary>
    public async Task<Result<IReadOnlyList<VersionEvent>>> HistoryAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var events = await History(db, found.Value.Version.Id).Take(200).ToListAsync(ct);
        return Result<IReadOnlyList<VersionEvent>>.From(events);
    }

    /// <summary>Everything that happened to a version, from the audit trail, newest first.</summary>
    internal static IQueryable<VersionEvent> History(PortalDbContext db, Guid versionId) =>
        Audit.AuditQueryService.Events(db, "version", versionId.ToString())
            .Select(e => new VersionEvent(e.Sequence, e.OccurredAt, e.ActorName, e.Action, e.After ?? e.Before ?? ""));

    public async Task<Result<(string Patch, string Minor, string Major)>> SuggestNextAsync(CallerAccess caller, string team, string asset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Asset.Id;
        var highest = await db.Versions.Where(v => v.AssetId == id).OrderByDescending(v => v.SortKey).Select(v => v.Version).Take(1).ToListAsync(ct);
        return AssetVersion.SuggestNext(highest);
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
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        if (ifMatch is { } expected && expected != v.Revision)
            return RegistryErrors.Stale;
        var normalized = AssetService.Normalize(tags);
        if (Asset.TagError(normalized) is { } tagError)
            return Error.Validation("version.invalid", tagError, new Dictionary<string, string[]> { ["tags"] = [tagError] });
        if ((description ?? "").Length > Asset.MaxDescriptionLength || Names.TextProblem(description) is not null)
            return Error.Validation("version.invalid", "The description is too long or holds control characters.",
                new Dictionary<string, string[]> { ["description"] = [$"At most {Asset.MaxDescriptionLength} characters of printable text, tabs and line breaks."] });
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
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
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
        // The asset's golden checks run on every version that becomes Ready: planned in the same transaction, queued after it.
        var checks = target == VersionStatus.Ready
            ? await GoldenChecks.GoldenCheckRuns.PlanForReadyVersionAsync(db, v, found.Value.Asset, p => runners.Any(r => r.Accepts(p)), caller.Actor.Name, now, ct)
            : [];
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RegistryErrors.Stale;
        }
        foreach (var run in checks.Where(r => !r.External))
            goldenRuns.Enqueue(run.Id);
        return await DetailAsync(db, caller, team, v.Id, ct);
    }

    private static async Task<VersionDetail> DetailAsync(PortalDbContext db, CallerAccess caller, string team, Guid id, CancellationToken ct)
    {
        var v = await db.Versions.AsNoTracking().SingleAsync(x => x.Id == id, ct);
        var asset = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == v.AssetId, ct);
        var artifacts = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == id).OrderBy(a => a.Path)
            .Join(db.Blobs, a => a.Sha256, b => b.Sha256, (a, b) => new ArtifactView(a.Id, a.Path, a.Size, a.Sha256, a.IsUnsafeFormat, b.Status == BlobStatus.Corrupt, a.CreatedAt, a.CreatedBy))
            .ToListAsync(ct);
        var upstream = await VisibleLineage.OfAsync(db, caller, id, upstream: true, ct);
        var downstream = await VisibleLineage.OfAsync(db, caller, id, upstream: false, ct);
        return Detail(caller, team, asset, v, artifacts, upstream, downstream);
    }

    private static VersionDetail Detail(CallerAccess caller, string team, Asset asset, AssetVersion v, IReadOnlyList<ArtifactView> artifacts,
        IReadOnlyList<LineageView> upstream, IReadOnlyList<LineageView> downstream) =>
        new(v.Id, team, asset.Name, asset.Kind, v.Version, v.Status, v.Description, v.Tags, v.Parameters, v.GitRepository, v.GitCommit,
            v.ContainerImageDigest, v.PipelineRunUrl, v.ExternalUri, v.ExternalHash, v.PromptVariables, v.RowCount, v.Schema, v.CreatedAt, v.CreatedBy, v.FinalizedAt, v.Revision,
            artifacts, upstream, downstream, caller.Allows(PortalAction.RegisterAssets, team));
}
