using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// A team with assets × versions (default 1,000 × 100 = 100,000 versions), seeded by a generator; then
/// the first page of the asset list and of a version search by tag and by metric, timed over repeats.
/// </summary>
internal static class SearchBenchmark
{
    public static async Task<int> RunAsync(DatabaseProvider kind, int assetCount, int versionsPerAsset)
    {
        await using var app = new PortalApp(kind);
        await app.InitializeAsync();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var seedWatch = Stopwatch.StartNew();
        await SeedAsync(dbFactory, assetCount, versionsPerAsset);
        Console.WriteLine($"{kind}: seeded {assetCount} assets × {versionsPerAsset} versions in {seedWatch.Elapsed.TotalSeconds:0} s");
        // Both databases plan from statistics; a bulk load is followed by ANALYZE as autovacuum or PRAGMA optimize would.
        await using (var stats = await dbFactory.CreateDbContextAsync())
            await stats.Database.ExecuteSqlRawAsync("ANALYZE");

        var user = await app.SignInAsync("bench", "Bench", "finance-viewers");
        var caller = await app.CallerAsync(user);
        await using var scope = app.Services.CreateAsyncScope();
        var assets = scope.ServiceProvider.GetRequiredService<AssetService>();
        var versions = scope.ServiceProvider.GetRequiredService<VersionService>();

        await ReportAsync("asset list, first page", () => assets.ListAsync(caller, "finance", new AssetFilter(Limit: 25)));
        await ReportAsync("asset list, kind + text filter", () => assets.ListAsync(caller, "finance", new AssetFilter(AssetKind.Model, null, "model-07", null, 25)));
        await ReportAsync("version search by tag", () => versions.SearchAsync(caller, "finance", new VersionSearch(Tag: "candidate")));
        await ReportAsync("version search by metric ≥ 0.95", () => versions.SearchAsync(caller, "finance", new VersionSearch(Metric: "accuracy", MinValue: 0.95)));
        return 0;
    }

    private static async Task ReportAsync<T>(string name, Func<Task<Result<T>>> query)
    {
        var result = await query();
        if (!result.IsSuccess)
            throw new InvalidOperationException(result.Error!.Message);
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            await query();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"  {name}: median {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95) - 1]:0.0} ms, max {times[^1]:0.0} ms");
    }

    private static async Task SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, int assetCount, int versionsPerAsset)
    {
        await using var setup = await dbFactory.CreateDbContextAsync();
        var teamId = await setup.Teams.Where(t => t.Slug == "finance").Select(t => t.Id).SingleAsync();
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        for (var a = 0; a < assetCount; a++)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var asset = new Asset
            {
                TeamId = teamId, Kind = (AssetKind)(a % 3 + 1), Name = $"model-{a:0000}", Owner = "bench", CreatedBy = "bench",
                Tags = [$"group-{a % 20}"], CreatedAt = start, UpdatedAt = start,
            };
            db.Assets.Add(asset);
            for (var v = 0; v < versionsPerAsset; v++)
            {
                var version = new AssetVersion
                {
                    TeamId = teamId, AssetId = asset.Id, Version = $"{v / 10}.{v % 10}.0", Major = v / 10, Minor = v % 10, CreatedBy = "bench",
                    Status = VersionStatus.Ready, CreatedAt = start.AddMinutes(a * versionsPerAsset + v),
                    Tags = random.Next(50) == 0 ? ["candidate"] : [],
                };
                db.Versions.Add(version);
                db.Metrics.Add(new Metric { VersionId = version.Id, Name = "accuracy", Value = Math.Round(0.7 + random.NextDouble() * 0.29, 4), RecordedBy = "bench", RecordedAt = version.CreatedAt });
            }
            await db.SaveChangesAsync();
        }
    }
}
