using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// One asset with 100,000 versions (default) and 10 metrics each (1,000,000 metrics), read through the
/// REST API as a pipeline or the asset page reads it: the asset, the first page of its versions, a page
/// deep in the list, "latest" (the asset list's latestVersion), the next-version hint and a version search
/// with a metric filter. Floors in the same run: <c>/health/ready</c> through the same HTTP pipeline
/// (a request that reads nothing) and a plain index lookup of one version by asset and text. Every 100th
/// version is a prerelease, so SemVer precedence is exercised by the order the checks compare.
/// </summary>
internal static class OneAssetBenchmark
{
    private const string Team = "finance";
    private const string AssetName = "scale-model";
    private const int MetricsPerVersion = 10;
    private const int WarmUpCalls = 3;
    private const int Repeats = 5;
    private const int CallsPerRepeat = 10;
    private const double TargetMs = 150;

    public static async Task<int> RunAsync(DatabaseProvider kind, int versions)
    {
        await using var app = new PortalApp(kind);
        await app.InitializeAsync();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var watch = Stopwatch.StartNew();
        var (assetId, texts) = await SeedAsync(dbFactory, versions);
        Console.WriteLine($"{kind}: seeded one asset with {versions:N0} versions and {versions * MetricsPerVersion:N0} metrics in {watch.Elapsed.TotalSeconds:0} s");
        await using (var stats = await dbFactory.CreateDbContextAsync())
            await stats.Database.ExecuteSqlRawAsync("ANALYZE");

        var client = await app.ApiClientAsync(Team, TeamRole.Viewer);
        var root = $"/api/v1/teams/{Team}/assets/{AssetName}";
        var byPrecedence = texts.OrderByDescending(VersionOrder.KeyOf, StringComparer.Ordinal).ToList();
        var middle = byPrecedence[versions / 2];
        var deepCursor = VersionOrder.KeyOf(middle);
        async Task<JsonElement> Get(string url)
        {
            using var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        var measures = new (string Name, Func<Task> Call)[]
        {
            ("floor: GET /health/ready through the same pipeline", async () =>
            {
                using var response = await client.GetAsync("/health/ready");
                response.EnsureSuccessStatusCode();
            }),
            ("floor: index lookup of one version by asset and text", async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                if (!await db.Versions.AsNoTracking().AnyAsync(v => v.AssetId == assetId && v.Version == middle))
                    throw new InvalidOperationException("The version is missing.");
            }),
            ("GET the asset", () => Get(root)),
            ("GET its versions, first page (100)", () => Get(root + "/versions?limit=100")),
            ("GET its versions, a page 50,000 deep (cursor)", () => Get(root + $"/versions?limit=100&cursor={deepCursor}")),
            ("latest: GET the asset list filtered to it", () => Get($"/api/v1/teams/{Team}/assets?q={AssetName}")),
            ("GET next-version", () => Get(root + "/next-version")),
            ("version search, metric accuracy ≥ 0.999 (25)", () => Get($"/api/v1/teams/{Team}/versions?metric=accuracy&min=0.999&limit=25")),
        };
        var figures = await Interleaved.MeasureAsync(measures, WarmUpCalls, Repeats, CallsPerRepeat);

        // After timing: the answers are the right ones.
        var first = await Get(root + "/versions?limit=100");
        var firstPage = first.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToList();
        var deep = await Get(root + $"/versions?limit=100&cursor={deepCursor}");
        var deepPage = deep.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToList();
        var latest = (await Get($"/api/v1/teams/{Team}/assets?q={AssetName}")).GetProperty("items")[0].GetProperty("latestVersion").GetString();
        var next = (await Get(root + "/next-version")).GetProperty("patch").GetString();
        var hits = (await Get($"/api/v1/teams/{Team}/versions?metric=accuracy&min=0.999&limit=25")).GetProperty("items").GetArrayLength();
        var checks = new
        {
            FirstPageInPrecedenceOrder = firstPage.SequenceEqual(byPrecedence.Take(100)),
            DeepPageInPrecedenceOrder = deepPage.SequenceEqual(byPrecedence.Skip(versions / 2 + 1).Take(100)),
            Latest = latest, LatestIsHighest = latest == byPrecedence[0],
            NextPatch = next, SearchHits = hits,
        };
        if (!checks.FirstPageInPrecedenceOrder || !checks.DeepPageInPrecedenceOrder || !checks.LatestIsHighest || hits != 25)
            throw new InvalidOperationException($"Wrong answers: {JsonSerializer.Serialize(checks)}");

        var met = figures.Skip(2).All(f => f.MedianP95Ms < TargetMs);
        Console.WriteLine($"{kind}: {Repeats} repeats × {CallsPerRepeat} calls, through the API (in-process HTTP)");
        foreach (var f in figures.Take(2))
            Console.WriteLine(f.Line(null));
        foreach (var f in figures.Skip(2))
            Console.WriteLine(f.Line(figures[0]));
        Console.WriteLine($"  checks: {JsonSerializer.Serialize(checks)}; target p95 < {TargetMs} ms: {(met ? "met" : "MISSED")}");
        var file = await BenchmarkReport.WriteAsync($"one-asset-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "one asset with many versions, through the API", Provider = kind.ToString(), Machine = Machine.Describe(),
            Parameters = new { Versions = versions, Metrics = versions * MetricsPerVersion, WarmUpCalls, Repeats, CallsPerRepeat },
            Floors = figures.Take(2).ToArray(), Figures = figures.Skip(2).ToArray(),
            Target = new { Ms = TargetMs, Met = met }, Checks = checks,
        });
        Console.WriteLine($"  written to {file}");
        return met ? 0 : 1;
    }

    /// <summary>
    /// Versions 1.{m}.{p} in shuffled registration order, every 100th a release candidate of the next patch
    /// (…-rc.1, ordered before its release), each with ten metrics, accuracy spread over [0.9, 1).
    /// </summary>
    private static async Task<(Guid AssetId, List<string> Texts)> SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, int versions)
    {
        Guid teamId;
        await using (var setup = await dbFactory.CreateDbContextAsync())
            teamId = await setup.Teams.Where(t => t.Slug == Team).Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var asset = new Asset { TeamId = teamId, Kind = AssetKind.Model, Name = AssetName, Owner = "bench", CreatedBy = "bench", CreatedAt = now, UpdatedAt = now };
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.Assets.Add(asset);
            await db.SaveChangesAsync();
        }
        var random = new Random(11);
        var texts = Enumerable.Range(0, versions)
            .Select(i => i % 100 == 99 ? $"1.{i / 1000}.{i % 1000}-rc.1" : $"1.{i / 1000}.{i % 1000}")
            .OrderBy(_ => random.Next()).ToList();
        const int batch = 2000;
        for (var start = 0; start < versions; start += batch)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var (text, i) in texts.Skip(start).Take(batch).Select((t, k) => (t, start + k)))
            {
                var parsed = AssetVersion.ParseVersion(text).Value;
                var version = AssetVersion.Create(teamId, asset.Id, parsed, "bench", null, now.AddSeconds(-versions + i));
                version.Status = VersionStatus.Ready;
                version.FinalizedAt = version.CreatedAt;
                db.Versions.Add(version);
                for (var m = 0; m < MetricsPerVersion; m++)
                    db.Metrics.Add(new Metric
                    {
                        VersionId = version.Id, Name = m == 0 ? "accuracy" : $"metric-{m}", Value = m == 0 ? 0.9 + 0.1 * random.NextDouble() : random.NextDouble(),
                        Source = MetricSource.Evaluation, RecordedAt = version.CreatedAt, RecordedBy = "bench",
                    });
            }
            await db.SaveChangesAsync();
        }
        return (asset.Id, texts);
    }
}
