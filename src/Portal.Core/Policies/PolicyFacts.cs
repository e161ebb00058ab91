using Microsoft.EntityFrameworkCore;
using Portal.Core.Jobs;
using Portal.Core.Data;
using Portal.Core.Lineage;
using Portal.Core.Versions;

namespace Portal.Core.Policies;

/// <summary>A version's row with its asset's kind, team and tags: what selects the policies that judge it.</summary>
public sealed record VersionHead(Guid VersionId, Guid AssetId, Guid TeamId, string Team, Assets.AssetKind Kind, List<string> AssetTags, List<string> VersionTags,
    string? GitCommit)
{
    public IReadOnlySet<string> AllTags { get; } = AssetTags.Concat(VersionTags).ToHashSet(StringComparer.Ordinal);

    /// <summary>The version's own row as the gate needs it (kind and tags select the policies), or null when it does not exist.</summary>
    public static Task<VersionHead?> ReadAsync(PortalDbContext db, Guid versionId, CancellationToken ct) => (
        from v in db.Versions.AsNoTracking()
        where v.Id == versionId
        join a in db.Assets on v.AssetId equals a.Id
        join t in db.Teams on a.TeamId equals t.Id
        select new VersionHead(v.Id, v.AssetId, a.TeamId, t.Slug, a.Kind, a.Tags, v.Tags, v.GitCommit)).SingleOrDefaultAsync(ct);

    /// <summary>The head of a version already read with its asset: no query needed.</summary>
    public static VersionHead Of(Guid teamId, string team, Assets.Asset asset, Versions.AssetVersion version) =>
        new(version.Id, asset.Id, teamId, team, asset.Kind, asset.Tags, version.Tags, version.GitCommit);
}

/// <summary>Reads from the database what the rules judge about one version.</summary>
internal static class PolicyFacts
{
    /// <summary>The facts the rules judge, reading only what <paramref name="needs"/> names. Approvals are left empty for the caller to add.</summary>
    public static async Task<VersionFacts> GatherAsync(PortalDbContext db, VersionHead head, FactNeeds needs, DateTimeOffset now, CancellationToken ct)
    {
        var baseline = !needs.Baseline ? null : await BaselineAsync(db, head.AssetId, head.VersionId, ct);
        var datasetEdges = !needs.Lineage ? 0 : await db.LineageEdges.CountAsync(e =>
            e.VersionId == head.VersionId && (e.Kind == LineageKind.TrainedOn || e.Kind == LineageKind.EvaluatedOn), ct);
        var card = !needs.ModelCard ? null : await db.ModelCardRevisions.AsNoTracking().Where(r => r.VersionId == head.VersionId)
            .OrderByDescending(r => r.Number).Select(r => r.Sections).FirstOrDefaultAsync(ct);
        var metrics = await LatestMetricsAsync(db, baseline is null ? [head.VersionId] : [head.VersionId, baseline.Id], needs.MetricNames, ct);
        return new VersionFacts(
            head.Team,
            head.Kind,
            head.AllTags,
            head.GitCommit,
            datasetEdges,
            card,
            metrics[head.VersionId],
            baseline is null ? null : new BaselineFacts(baseline.Version, metrics[baseline.Id]),
            [],
            needs.Golden ? await GoldenAsync(db, head.AssetId, head.VersionId, now, ct) : null);
    }

    // The facts every gated transition reads are compiled once: it skips EF Core's per-call expression work (parameter extraction, cache key).
    private static readonly PerModel<Func<PortalDbContext, Guid, Guid, CancellationToken, Task<BaselineRow?>>> Baseline = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, Guid assetId, Guid versionId, CancellationToken ct) => db.Versions.AsNoTracking()
            .Where(v => v.AssetId == assetId && v.Stage == Lifecycle.Stage.Production && v.Id != versionId)
            .Select(v => new BaselineRow(v.Id, v.Version))
            .FirstOrDefault()));

    /// <summary>The rows a gate judges: see <see cref="LatestMetricsAsync"/>.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Metric, bool>> Judged = m => m.Step == null && m.Source != MetricSource.GoldenCheck;

    private static readonly PerModel<Func<PortalDbContext, List<Guid>, List<string>, IAsyncEnumerable<MetricRow>>> NamedMetrics = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, List<Guid> versionIds, List<string> names) => db.Metrics.AsNoTracking().Where(Judged)
            .Where(m => versionIds.Contains(m.VersionId) && names.Contains(m.Name))
            .Select(m => new MetricRow(m.Id, m.VersionId, m.Name, m.Slice, m.Value, m.Source, m.RecordedAt))));

    private static readonly PerModel<Func<PortalDbContext, List<Guid>, IAsyncEnumerable<MetricRow>>> AllMetrics = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, List<Guid> versionIds) => db.Metrics.AsNoTracking().Where(Judged)
            .Where(m => versionIds.Contains(m.VersionId))
            .Select(m => new MetricRow(m.Id, m.VersionId, m.Name, m.Slice, m.Value, m.Source, m.RecordedAt))));

    /// <summary>The asset's Production version other than this one: what a candidate is compared with, by the gate and on the review screen.</summary>
    internal static Task<BaselineRow?> BaselineAsync(PortalDbContext db, Guid assetId, Guid versionId, CancellationToken ct) =>
        Baseline.For(db)(db, assetId, versionId, ct);

    internal sealed record BaselineRow(Guid Id, string Version);

    private sealed record MetricRow(long Id, Guid VersionId, string Name, string Slice, double Value, MetricSource Source, DateTimeOffset RecordedAt);

    private static async Task<GoldenFacts> GoldenAsync(PortalDbContext db, Guid assetId, Guid versionId, DateTimeOffset now, CancellationToken ct)
    {
        var checks = await db.GoldenChecks.AsNoTracking().Where(c => c.AssetId == assetId && c.Enabled).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        var ids = checks.Select(c => c.Id).ToList();
        var runs = await db.GoldenCheckResults.AsNoTracking().Where(r => r.VersionId == versionId && ids.Contains(r.CheckId))
            .Select(r => new { r.CheckId, r.Passed, r.CompletedAt }).ToListAsync(ct);
        // A run that could not finish (the model did not load, it timed out) counts as its check's latest run, failed: an older pass
        // must not stand for a model the check last could not run.
        var subject = versionId.ToString();
        var errored = await db.JobRuns.AsNoTracking().Where(r => r.Kind == JobKinds.GoldenCheck && r.SubjectId == subject && r.State == JobRunState.Failed
                && r.DefinitionId != null && ids.Contains(r.DefinitionId.Value) && r.FinishedAt != null)
            .Select(r => new { CheckId = r.DefinitionId!.Value, Passed = false, CompletedAt = r.FinishedAt!.Value }).ToListAsync(ct);
        runs.AddRange(errored);
        var latest = runs.GroupBy(r => r.CheckId).Select(g => g.OrderByDescending(r => r.CompletedAt).First())
            .Select(r => new GoldenRunFact(checks.Single(c => c.Id == r.CheckId).Name, r.Passed, r.CompletedAt)).ToList();
        return new GoldenFacts(checks.Count, latest, now);
    }

    /// <summary>
    /// The latest recorded value per metric name and slice. Values with a step are a training curve, not a
    /// result to gate on, so they are left out; a later summary value (e.g. a re-evaluation) supersedes an
    /// earlier one whatever its source. Golden-check figures are left out too: they are measured on the golden
    /// set, judged by their own check (bounds, drop against Production) and gated by the golden-check rule, and
    /// would otherwise silently replace the registered evaluation that metric rules compare.
    /// </summary>
    /// <remarks>Several versions in one round trip (a candidate and its baseline, the versions compared), each with its own values, none left out.</remarks>
    internal static async Task<IReadOnlyDictionary<Guid, IReadOnlyDictionary<(string Name, string Slice), MetricValue>>> LatestMetricsAsync(PortalDbContext db,
        List<Guid> versionIds, IReadOnlySet<string>? names, CancellationToken ct)
    {
        var rows = names is { Count: 0 } ? []
            : await (names is null ? AllMetrics.For(db)(db, versionIds) : NamedMetrics.For(db)(db, versionIds, names.ToList())).ToListAsync(ct);
        var byVersion = rows.ToLookup(m => m.VersionId);
        return versionIds.Distinct().ToDictionary(id => id, id => (IReadOnlyDictionary<(string Name, string Slice), MetricValue>)byVersion[id]
            .GroupBy(m => (m.Name, m.Slice))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.RecordedAt).ThenByDescending(m => m.Id).Select(m => new MetricValue(m.Value, m.Source)).First()));
    }
}
