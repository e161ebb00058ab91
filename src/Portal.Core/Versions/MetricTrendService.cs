using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;

namespace Portal.Core.Versions;

public sealed record TrendVersion(string Version, Stage Stage);

/// <summary>Each overall metric across an asset's newest Ready versions, oldest first; a missing value is null.</summary>
public sealed record MetricTrend(IReadOnlyList<TrendVersion> Versions, IReadOnlyDictionary<string, IReadOnlyList<double?>> Series);

/// <summary>The asset page's metric views: how each figure moved from version to version.</summary>
public sealed class MetricTrendService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxVersions = 30;
    public const int MaxMetrics = 12;

    public async Task<Result<MetricTrend>> TrendAsync(CallerAccess caller, string team, string asset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var assetId = found.Value.Asset.Id;
        var versions = await db.Versions.AsNoTracking().Where(v => v.AssetId == assetId && v.Status == VersionStatus.Ready)
            .OrderByDescending(v => v.SortKey)
            .Take(MaxVersions).Select(v => new { v.Id, v.Version, v.Stage }).ToListAsync(ct);
        versions.Reverse();
        var ids = versions.Select(v => v.Id).ToList();
        // Golden-check figures have their own history per run; training curves (steps) and slices belong on the version page.
        var rows = await db.Metrics.AsNoTracking()
            .Where(m => ids.Contains(m.VersionId) && m.Slice == "" && m.Step == null && m.Source != MetricSource.GoldenCheck)
            .Select(m => new { m.VersionId, m.Name, m.Value, m.RecordedAt, m.Id }).ToListAsync(ct);
        var latest = rows.GroupBy(m => (m.VersionId, m.Name)).ToDictionary(g => g.Key, g => g.MaxBy(m => (m.RecordedAt, m.Id))!.Value);
        var names = rows.Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).Take(MaxMetrics);
        var series = names.ToDictionary(n => n,
            n => (IReadOnlyList<double?>)versions.Select(v => latest.TryGetValue((v.Id, n), out var value) ? value : (double?)null).ToList());
        return new MetricTrend(versions.Select(v => new TrendVersion(v.Version, v.Stage)).ToList(), series);
    }
}
