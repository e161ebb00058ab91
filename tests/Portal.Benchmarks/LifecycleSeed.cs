using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Versions;

namespace Portal.Benchmarks;

/// <summary>The lifecycle benchmark's assets, written straight through the context (seeding is not measured), and its checks after timing.</summary>
internal static class LifecycleSeed
{
    /// <summary>The overall accuracy and nineteen regions: the rows the benchmark's rules judge.</summary>
    private const int AccuracyRows = 20;

    public static string VersionName(int index) => $"1.{index}.0";

    /// <summary>
    /// One asset per client in the team, each with a Ready version for every cycle the run may make, registered by the contributor:
    /// <paramref name="warmUpVersions"/> for the longest warm-up (those a shorter one leaves are never moved), then
    /// <paramref name="measuredVersions"/>. Accuracy rises by 0.0015 per version, so each beats the one before by more than the
    /// rule's 0.001 and stays below 1 over 110 versions; the regions stay within 0.02 of each other, inside the fairness bound.
    /// The warm-up's versions carry only the twenty accuracy rows the rules read (seeding a million rows for them took minutes);
    /// the measured ones carry <paramref name="metricsPerVersion"/>.
    /// </summary>
    public static async Task<List<string>> SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, string team, int clients, int warmUpVersions, int measuredVersions,
        int metricsPerVersion, string registrant)
    {
        await using var setup = await dbFactory.CreateDbContextAsync();
        var teamId = await setup.Teams.Where(t => t.Slug == team).Select(t => t.Id).SingleAsync();
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var names = new List<string>();
        for (var a = 0; a < clients; a++)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var asset = new Asset
            {
                TeamId = teamId, Kind = AssetKind.Model, Name = $"bench-{a:00}", Owner = "Bench Contributor", CreatedBy = "Bench Contributor",
                Tags = ["bench"], CreatedAt = start, UpdatedAt = start,
            };
            db.Assets.Add(asset);
            names.Add(asset.Name);
            for (var v = 0; v < warmUpVersions + measuredVersions; v++)
            {
                var at = start.AddMinutes(v);
                var version = new AssetVersion
                {
                    TeamId = teamId, AssetId = asset.Id, Version = VersionName(v), Major = 1, Minor = v, CreatedBy = "Bench Contributor",
                    CreatedByActorId = registrant, Status = VersionStatus.Ready, CreatedAt = at, FinalizedAt = at, GitCommit = "0123abc",
                };
                db.Versions.Add(version);
                var accuracy = 0.8 + 0.0015 * v;
                for (var m = 0; m < (v < warmUpVersions ? AccuracyRows : metricsPerVersion); m++)
                {
                    // Twenty rows per metric name: the overall value, then nineteen regions.
                    var slice = m % 20 == 0 ? "" : $"region=r{m % 20:00}";
                    var value = m < AccuracyRows ? accuracy + (slice.Length == 0 ? 0 : (random.NextDouble() - 0.5) * 0.02) : random.NextDouble();
                    db.Metrics.Add(new Metric
                    {
                        VersionId = version.Id, Name = m < AccuracyRows ? "accuracy" : $"metric-{m / 20:000}", Slice = slice, Value = Math.Round(value, 4),
                        Source = MetricSource.Training, RecordedBy = "Bench Contributor", RecordedAt = at,
                    });
                }
            }
            await db.SaveChangesAsync();
        }
        return names;
    }

    /// <summary>
    /// After the clock stops: every request applied, one Production version per asset (the last one promoted), the others it promoted archived
    /// (<paramref name="cycles"/> promoted per asset, the last of them <paramref name="last"/>).
    /// </summary>
    public static async Task<object> CheckAsync(IDbContextFactory<PortalDbContext> dbFactory, IReadOnlyList<string> assets, int cycles, string last)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var ids = await db.Assets.Where(a => assets.Contains(a.Name)).Select(a => a.Id).ToListAsync();
        var states = await db.TransitionRequests.Where(r => ids.Contains(r.AssetId)).GroupBy(r => r.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var expected = assets.Count * cycles * 2;
        var applied = states.Where(s => s.Key == TransitionState.Applied).Sum(s => s.Count);
        if (applied != expected || states.Any(s => s.Key != TransitionState.Applied))
            throw new InvalidOperationException($"Expected {expected} applied requests, found {string.Join(", ", states.Select(s => $"{s.Count} {s.Key}"))}.");
        var stages = await db.Versions.Where(v => ids.Contains(v.AssetId)).GroupBy(v => new { v.AssetId, v.Stage }).Select(g => new { g.Key.AssetId, g.Key.Stage, Count = g.Count() })
            .ToListAsync();
        var production = await db.Versions.Where(v => ids.Contains(v.AssetId) && v.Stage == Stage.Production).Select(v => v.Version).ToListAsync();
        foreach (var id in ids)
        {
            var mine = stages.Where(s => s.AssetId == id).ToDictionary(s => s.Stage, s => s.Count);
            if (mine.GetValueOrDefault(Stage.Production) != 1 || mine.GetValueOrDefault(Stage.Archived) != cycles - 1)
                throw new InvalidOperationException($"Asset {id}: {string.Join(", ", mine.Select(s => $"{s.Value} {s.Key}"))}; expected 1 Production and {cycles - 1} Archived.");
        }
        if (production.Count != assets.Count || production.Any(v => v != last))
            throw new InvalidOperationException($"Expected {last} in Production on every asset, found {string.Join(", ", production.Distinct())}.");
        return new { AppliedRequests = applied, ProductionVersionsPerAsset = 1, ArchivedPerAsset = cycles - 1 };
    }
}
