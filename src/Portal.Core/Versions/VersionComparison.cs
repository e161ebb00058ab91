using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.ModelCards;
using Portal.Core.Policies;
using Portal.Core.Teams;

namespace Portal.Core.Versions;

public sealed record ComparedVersion(string Version, VersionStatus Status, Stage Stage, int ModelCardCompleteness);

/// <summary>One row of the comparison; <see cref="Values"/> are in the order of the compared versions, null where absent.</summary>
public sealed record ComparedRow(string Name, string? Slice, IReadOnlyList<string?> Values, bool Differs);

public sealed record ComparedMetric(string Name, string Slice, IReadOnlyList<double?> Values, IReadOnlyList<double?> DeltasFromFirst);

public sealed record VersionComparison(string Team, string Asset, IReadOnlyList<ComparedVersion> Versions, IReadOnlyList<ComparedRow> Parameters,
    IReadOnlyList<ComparedMetric> Metrics, IReadOnlyList<ComparedRow> ModelCard);

/// <summary>Two to five versions of one asset side by side: parameters, latest metrics (overall and per slice) and model cards.</summary>
public sealed class VersionComparisonService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxVersions = 5;

    public async Task<Result<VersionComparison>> CompareAsync(CallerAccess caller, string team, string asset, IReadOnlyList<string> versions, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The caller's right to the asset first: another team learns nothing, not even that its input was wrong.
        var access = await Assets.RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!access.IsSuccess)
            return access.Error!;
        var asked = versions.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct().ToList();
        if (asked.Count is < 2 or > MaxVersions)
            return Paging.Invalid(new Dictionary<string, string[]> { ["versions"] = [$"Choose 2 to {MaxVersions} different versions."] });
        var normalized = new List<string>();
        foreach (var version in asked)
        {
            var parsed = AssetVersion.ParseVersion(version);
            if (!parsed.IsSuccess)
                return parsed.Error!;
            normalized.Add(parsed.Value.ToString());
        }
        var assetId = access.Value.Asset.Id;
        var rows = await db.Versions.AsNoTracking().Where(v => v.AssetId == assetId && normalized.Contains(v.Version)).ToListAsync(ct);
        if (normalized.FirstOrDefault(n => rows.All(v => v.Version != n)) is { } missing)
            return Assets.RegistryErrors.VersionNotFound(missing);
        var found = normalized.Select(n => rows.Single(v => v.Version == n)).ToList();
        var assetName = access.Value.Asset.Name;
        var ids = found.Select(v => v.Id).ToList();
        var cards = (await db.ModelCardRevisions.AsNoTracking().Where(r => ids.Contains(r.VersionId)).ToListAsync(ct))
            .GroupBy(r => r.VersionId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Number)!);
        var latest = await PolicyFacts.LatestMetricsAsync(db, ids, null, ct);
        var metrics = found.Select(v => latest[v.Id]).ToList();

        var parameters = found.SelectMany(v => v.Parameters.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(name => Row(name, null, found.Select(v => v.Parameters.GetValueOrDefault(name)).ToList())).ToList();
        var metricRows = metrics.SelectMany(m => m.Keys).Distinct().OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Slice, StringComparer.Ordinal)
            .Select(key =>
            {
                var values = metrics.Select(m => m.TryGetValue(key, out var value) ? value.Value : (double?)null).ToList();
                return new ComparedMetric(key.Name, key.Slice, values, values.Select(x => x - values[0]).ToList());
            }).ToList();
        var card = ModelCardSections.All
            .Select(section => Row(section.Title, null, found.Select(v => cards.TryGetValue(v.Id, out var c) ? c.Sections.GetValueOrDefault(section.Key) : null).ToList()))
            .ToList();
        return new VersionComparison(team, assetName, [.. found.Select(v => new ComparedVersion(v.Version, v.Status, v.Stage,
            cards.TryGetValue(v.Id, out var c) ? c.Completeness : 0))], parameters, metricRows, card);
    }

    private static ComparedRow Row(string name, string? slice, List<string?> values) => new(name, slice, values, values.Distinct().Count() > 1);
}
