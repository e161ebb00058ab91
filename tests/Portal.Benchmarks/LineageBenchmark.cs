using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Lineage;
using Portal.Core.Versions;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Lineage walks (<see cref="LineageGraphService.GetAsync"/>) at depth 10 over 100,000 versions (default) and about
/// 500,000 edges. The versions form 20 layers of 5,000; each version of a layer derives from 5 neighbouring versions of
/// the layer before (positions p … p+4), and a quarter of them also from one of the layer two back: pipelines reuse what
/// is near them, so a depth-10 walk reaches a few hundred versions, the size of graph a person reads. Floor: a plain
/// index lookup of one version's direct upstream edges. Each walk's node count is checked after timing against a
/// breadth-first search over the seeded edges in memory.
/// </summary>
internal static class LineageBenchmark
{
    private const int Layers = 20;
    private const int PerAsset = 100;
    private const int FanIn = 5;
    private const int Depth = 10;
    private const int WarmUpCalls = 3;
    private const int Repeats = 5;
    private const int CallsPerRepeat = 10;
    private const double TargetMs = 300;

    public static async Task<int> RunAsync(DatabaseProvider kind, int versions)
    {
        await using var app = new PortalApp(kind);
        await app.InitializeAsync();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var admin = await app.CallerAsync(await app.SignInAsync("bench-admin", "Bench Admin", "finance-admins"));
        var watch = Stopwatch.StartNew();
        var (ids, upstreamOf) = await SeedAsync(dbFactory, versions);
        Console.WriteLine($"{kind}: seeded {versions:N0} versions and {upstreamOf.Sum(u => u.Length):N0} edges in {watch.Elapsed.TotalSeconds:0} s");
        await using (var stats = await dbFactory.CreateDbContextAsync())
            await stats.Database.ExecuteSqlRawAsync("ANALYZE");

        var perLayer = versions / Layers;
        var deep = versions - perLayer / 2;            // a version in the last layer, mid-row
        var root = perLayer / 2;                       // a version in the first layer
        var middle = versions / 2 + perLayer / 3;      // both directions from the middle
        await using var scope = app.Services.CreateAsyncScope();
        var lineage = scope.ServiceProvider.GetRequiredService<LineageGraphService>();
        var counts = new Dictionary<string, int>();
        async Task Walk(string name, int index, LineageDirection direction)
        {
            var graph = await lineage.GetAsync(admin, "finance", Asset(index), Version(index), direction, Depth);
            counts[name] = graph.IsSuccess ? graph.Value.Nodes.Count : throw new InvalidOperationException(graph.Error!.Message);
        }
        var measures = new (string Name, Func<Task> Call)[]
        {
            ("floor: index lookup of one version's direct upstream edges", async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                if (await db.LineageEdges.AsNoTracking().Where(e => e.VersionId == ids[deep]).Select(e => e.UpstreamVersionId).CountAsync() == 0)
                    throw new InvalidOperationException("No edges found.");
            }),
            ("upstream, depth 10, from the last layer", () => Walk("upstream", deep, LineageDirection.Upstream)),
            ("downstream, depth 10, from the first layer", () => Walk("downstream", root, LineageDirection.Downstream)),
            ("both directions, depth 10, from the middle", () => Walk("both", middle, LineageDirection.Both)),
        };
        var figures = await Interleaved.MeasureAsync(measures, WarmUpCalls, Repeats, CallsPerRepeat);
        var expected = new Dictionary<string, int>
        {
            ["upstream"] = Reach(upstreamOf, deep, up: true),
            ["downstream"] = Reach(upstreamOf, root, up: false),
            ["both"] = Reach(upstreamOf, middle, up: true) + Reach(upstreamOf, middle, up: false) - 1,
        };
        var checks = expected.All(e => counts[e.Key] == e.Value)
            ? string.Join(", ", expected.Select(e => $"{e.Key} {e.Value} nodes as counted in memory"))
            : throw new InvalidOperationException($"Node counts {string.Join(", ", counts)} differ from {string.Join(", ", expected)}.");
        var met = figures.Skip(1).All(f => f.MedianP95Ms < TargetMs);
        Console.WriteLine($"{kind}: {Repeats} repeats × {CallsPerRepeat} calls");
        Console.WriteLine(figures[0].Line(null));
        foreach (var f in figures.Skip(1))
            Console.WriteLine(f.Line(figures[0]));
        Console.WriteLine($"  checks: {checks}; target p95 < {TargetMs} ms: {(met ? "met" : "MISSED")}");
        var file = await BenchmarkReport.WriteAsync($"lineage-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "lineage walks", Provider = kind.ToString(), Machine = Machine.Describe(),
            Parameters = new { Versions = versions, Edges = upstreamOf.Sum(u => u.Length), Layers, FanIn, Depth, WarmUpCalls, Repeats, CallsPerRepeat },
            Floors = new[] { figures[0] }, Figures = figures.Skip(1).ToArray(), NodeCounts = counts,
            Target = new { Ms = TargetMs, Met = met }, Checks = checks,
        });
        Console.WriteLine($"  written to {file}");
        return met ? 0 : 1;
    }

    private static string Asset(int index) => $"lineage-{index / PerAsset:00000}";
    private static string Version(int index) => $"1.{index % PerAsset}.0";

    /// <summary>Upstream indexes of each version: FanIn neighbours in the layer before, and for a quarter one more two layers back.</summary>
    private static int[] Upstream(int index, int perLayer)
    {
        var (layer, position) = (index / perLayer, index % perLayer);
        if (layer == 0)
            return [];
        var ups = Enumerable.Range(0, FanIn).Select(k => (layer - 1) * perLayer + (position + k) % perLayer);
        return layer >= 2 && position % 4 == 0 ? [.. ups, (layer - 2) * perLayer + (position + perLayer / 2) % perLayer] : [.. ups];
    }

    /// <summary>Versions reached within the depth, the start included: what the walk must return.</summary>
    private static int Reach(int[][] upstreamOf, int start, bool up)
    {
        var down = up ? null : upstreamOf.SelectMany((ups, i) => ups.Select(u => (u, i))).ToLookup(x => x.u, x => x.i);
        var seen = new HashSet<int> { start };
        var frontier = new List<int> { start };
        for (var level = 0; level < Depth && frontier.Count > 0; level++)
            frontier = frontier.SelectMany(i => up ? upstreamOf[i] : down![i]).Where(seen.Add).ToList();
        return seen.Count;
    }

    private static async Task<(Guid[] Ids, int[][] UpstreamOf)> SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, int versions)
    {
        Guid teamId;
        await using (var setup = await dbFactory.CreateDbContextAsync())
            teamId = await setup.Teams.Where(t => t.Slug == "finance").Select(t => t.Id).SingleAsync();
        var perLayer = versions / Layers;
        var ids = Enumerable.Range(0, versions).Select(_ => Guid.NewGuid()).ToArray();
        var upstreamOf = Enumerable.Range(0, versions).Select(i => Upstream(i, perLayer)).ToArray();
        var now = DateTimeOffset.UtcNow;
        for (var a = 0; a < versions / PerAsset; a++)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var asset = new Asset { TeamId = teamId, Kind = AssetKind.Model, Name = Asset(a * PerAsset), Owner = "bench", CreatedBy = "bench", CreatedAt = now, UpdatedAt = now };
            db.Assets.Add(asset);
            for (var v = 0; v < PerAsset; v++)
            {
                var index = a * PerAsset + v;
                db.Versions.Add(new AssetVersion
                {
                    Id = ids[index], TeamId = teamId, AssetId = asset.Id, Version = Version(index), Major = 1, Minor = v, CreatedBy = "bench",
                    Status = VersionStatus.Ready, CreatedAt = now, FinalizedAt = now,
                });
                foreach (var up in upstreamOf[index])
                    db.LineageEdges.Add(new LineageEdge { VersionId = ids[index], UpstreamVersionId = ids[up], Kind = LineageKind.DerivedFrom });
            }
            await db.SaveChangesAsync();
        }
        return (ids, upstreamOf);
    }
}
