using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Archiving;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Lineage;
using Portal.Core.Versions;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// The archiving dry run (<see cref="ArchiveService.PreviewAsync"/>) over a team of 100,000 Ready versions (default;
/// 100 per asset), each with one file, seeded in bulk so that every clause of the rule cuts: 40 of each asset's 100
/// versions are too young, a tenth of the old ones were downloaded lately, one is on legal hold, one carries an
/// alias, and a tenth of the assets have a Production version built (through two lineage edges) from two old ones.
/// The floor is a plain count of the team's versions in the same table. The candidates are counted from the seed,
/// not by the code under test, and compared after timing.
/// </summary>
internal static class ArchiveDryRunBenchmark
{
    private const int PerAsset = 100;
    private const int OldPerAsset = 60;
    private const int WarmUpCalls = 2;
    private const int Repeats = 5;
    private const int CallsPerRepeat = 3;
    private const double TargetMs = 5000;

    public static async Task<int> RunAsync(DatabaseProvider kind, int versions)
    {
        await using var app = new PortalApp(kind);
        await app.InitializeAsync();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var admin = await app.CallerAsync(await app.SignInAsync("bench-admin", "Bench Admin", "finance-admins"));
        await using var scope = app.Services.CreateAsyncScope();
        var rules = scope.ServiceProvider.GetRequiredService<ArchiveRuleService>();
        if (!(await rules.SaveAsync(admin, "finance", new ArchiveRuleInput(180, 90, 365, false))).IsSuccess)
            throw new InvalidOperationException("The rule was not saved.");
        var seedWatch = Stopwatch.StartNew();
        var (teamId, expected) = await SeedAsync(dbFactory, versions / PerAsset);
        Console.WriteLine($"{kind}: seeded {versions} versions with their files in {seedWatch.Elapsed.TotalSeconds:0} s");
        await using (var stats = await dbFactory.CreateDbContextAsync())
            await stats.Database.ExecuteSqlRawAsync("ANALYZE");

        var archive = scope.ServiceProvider.GetRequiredService<ArchiveService>();
        var found = 0;
        var measures = new (string Name, Func<Task> Call)[]
        {
            ("floor: count of the team's versions", () => CountAsync(dbFactory, teamId)),
            ("floor: read the rule's columns of every version of the team", () => ReadAllAsync(dbFactory, teamId)),
            ("archive dry run (PreviewAsync)", async () =>
            {
                var preview = await archive.PreviewAsync(admin, "finance");
                found = preview.IsSuccess ? preview.Value.Candidates.Count : throw new InvalidOperationException(preview.Error!.Message);
            }),
        };
        var figures = await Interleaved.MeasureAsync(measures, WarmUpCalls, Repeats, CallsPerRepeat);
        var (floor, read, dryRun) = (figures[0], figures[1], figures[2]);
        var checks = found == expected ? $"{found} candidates, as seeded" : throw new InvalidOperationException($"The dry run found {found} candidates, the seed made {expected}.");
        var met = dryRun.MedianP95Ms < TargetMs;
        Console.WriteLine($"{kind}: {versions} versions; {Repeats} repeats × {CallsPerRepeat} calls");
        Console.WriteLine(floor.Line(null));
        Console.WriteLine(read.Line(floor));
        Console.WriteLine(dryRun.Line(floor));
        Console.WriteLine(dryRun.Line(read));
        Console.WriteLine($"  checks: {checks}; target < {TargetMs} ms: {(met ? "met" : "MISSED")}");
        var file = await BenchmarkReport.WriteAsync($"archive-dry-run-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "archive dry run",
            Provider = kind.ToString(),
            Machine = Machine.Describe(),
            Parameters = new { Versions = versions, PerAsset, OldPerAsset, WarmUpCalls, Repeats, CallsPerRepeat },
            Floors = new[] { floor, read },
            Figures = new[] { dryRun },
            Ratios = new
            {
                DryRunToCount = Math.Round(dryRun.MedianP95Ms / Math.Max(floor.MedianP95Ms, 0.001), 1),
                DryRunToReadAll = Math.Round(dryRun.MedianP95Ms / Math.Max(read.MedianP95Ms, 0.001), 1),
            },
            Target = new { Ms = TargetMs, Met = met },
            Checks = checks,
        });
        Console.WriteLine($"  written to {file}");
        return met ? 0 : 1;
    }

    private static async Task CountAsync(IDbContextFactory<PortalDbContext> dbFactory, Guid teamId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Versions.CountAsync(v => v.TeamId == teamId) == 0)
            throw new InvalidOperationException("No versions counted.");
    }

    /// <summary>The data the rule looks at, read with no filter and no join: what any answer must at least touch.</summary>
    private static async Task ReadAllAsync(IDbContextFactory<PortalDbContext> dbFactory, Guid teamId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var rows = await db.Versions.AsNoTracking().Where(v => v.TeamId == teamId)
            .Select(v => new { v.Id, v.AssetId, v.Stage, v.CreatedAt, v.LastDownloadedAt, v.LegalHold }).ToListAsync();
        if (rows.Count == 0)
            throw new InvalidOperationException("No versions read.");
    }

    /// <summary>Returns the team and how many versions the rule must find, counted here from the seed's own choices.</summary>
    private static async Task<(Guid TeamId, int Expected)> SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, int assets)
    {
        Guid teamId;
        await using (var setup = await dbFactory.CreateDbContextAsync())
            teamId = await setup.Teams.Where(t => t.Slug == "finance").Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var expected = 0;
        for (var a = 0; a < assets; a++)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var asset = new Asset { TeamId = teamId, Kind = AssetKind.Dataset, Name = $"bench-{a:000000}", Owner = "bench", CreatedBy = "bench", CreatedAt = now, UpdatedAt = now };
            db.Assets.Add(asset);
            var staged = a % 10 == 0;
            var rows = new List<AssetVersion>();
            for (var v = 0; v < PerAsset; v++)
            {
                var old = v < OldPerAsset;
                var created = old ? now.AddDays(-400).AddMinutes(v) : now.AddDays(-10).AddMinutes(v);
                var version = new AssetVersion
                {
                    TeamId = teamId, AssetId = asset.Id, Version = $"1.{v}.0", Major = 1, Minor = v, CreatedBy = "bench", Status = VersionStatus.Ready,
                    CreatedAt = created, FinalizedAt = created, LastDownloadedAt = v % 10 == 0 ? now.AddDays(-5) : null, LegalHold = v == 1,
                };
                if (staged && v == PerAsset - 1)
                    version.MoveTo(Stage.Production, now);
                rows.Add(version);
                var bytes = $"{a}:{v}";
                var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bytes)));
                db.Blobs.Add(new Blob { Sha256 = sha, Size = 1000 + v, CreatedAt = created });
                db.Artifacts.Add(new Artifact { VersionId = version.Id, Path = "data.csv", Size = 1000 + v, Sha256 = sha, CreatedAt = created, CreatedBy = "bench" });
                var feeds = staged && v is 57 or 58;
                if (old && v % 10 != 0 && v is not 1 and not 3 && !feeds)
                    expected++;
            }
            db.Versions.AddRange(rows);
            db.Aliases.Add(new AssetAlias { AssetId = asset.Id, Name = "pinned", VersionId = rows[3].Id, UpdatedAt = now, UpdatedBy = "bench" });
            if (staged)
            {
                db.LineageEdges.Add(new LineageEdge { VersionId = rows[^1].Id, UpstreamVersionId = rows[58].Id, Kind = LineageKind.DerivedFrom });
                db.LineageEdges.Add(new LineageEdge { VersionId = rows[58].Id, UpstreamVersionId = rows[57].Id, Kind = LineageKind.DerivedFrom });
            }
            await db.SaveChangesAsync();
        }
        return (teamId, expected);
    }
}
