using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Upload and download of one large artifact through the API on loopback, by curl in a process of its own,
/// against the one-pass floor on the same file and disk (<c>tee copy &lt; file | openssl dgst -sha256</c>:
/// read, write and hash in one pass, as the portal must). Each figure is the median of 5 runs after a
/// warm-up, with the spread; the server's (this process's) peak working-set growth is sampled during each
/// transfer; every downloaded file's digest is checked after its timing. Then 16 concurrent downloads of
/// 16 different artifacts against 16 floor processes at once on 16 different files.
/// </summary>
internal static class TransferBenchmark
{
    private const int Runs = 5;
    private const int Parallel = 16;
    private const double TargetShare = 0.85;

    public static async Task<int> RunAsync(int mebibytes, int parallelMebibytes)
    {
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            var source = Path.Combine(work, "artifact.bin");
            var sha = await TransferTools.WriteRandomFileAsync(source, mebibytes, seed: 0);
            var floor = Series(() => TransferTools.Shell($"tee '{work}/copy.bin' < '{source}' | openssl dgst -sha256 > /dev/null"));
            File.Delete(Path.Combine(work, "copy.bin"));

            await using var app = new PortalApp(DatabaseProvider.Sqlite, realPort: true);
            await app.InitializeAsync();
            var token = await app.IssueTokenAsync("marketing", TeamRole.Contributor);
            using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl), Timeout = TimeSpan.FromMinutes(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = "bench-model", kind = "Model" })).EnsureSuccessStatusCode();
            string Url(int version, string file) => $"{app.RootUrl}/api/v1/teams/marketing/assets/bench-model/versions/1.0.{version}/artifacts/{file}";
            async Task NewVersionAsync(int version) =>
                (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets/bench-model/versions", new { version = $"1.0.{version}" })).EnsureSuccessStatusCode();
            var auth = $"-H 'Authorization: Bearer {token}'";

            // Uploads: each run a fresh version (a stored path is immutable), the digest announced as a pipeline would.
            var next = 0;
            var upload = await SeriesAsync(async () =>
            {
                var version = next++;
                await NewVersionAsync(version);
                return await TransferTools.WithPeakAsync(() => TransferTools.Shell($"curl -sS --fail {auth} -H 'X-Content-SHA256: {sha}' -T '{source}' -o /dev/null '{Url(version, "artifact.bin")}'"));
            });
            var target = Path.Combine(work, "downloaded.bin");
            var digestsMatch = true;
            var download = await SeriesAsync(async () =>
            {
                var measured = await TransferTools.WithPeakAsync(() => TransferTools.Shell($"curl -sS --fail {auth} -o '{target}' '{Url(0, "artifact.bin")}'"));
                digestsMatch &= await TransferTools.Sha256Async(target) == sha;
                File.Delete(target);
                return measured;
            });

            // Sixteen at once: different artifacts, so no download is served from another's reads.
            var parts = new List<(string Path, string Sha)>();
            for (var i = 0; i < Parallel; i++)
            {
                var path = Path.Combine(work, $"part-{i:00}.bin");
                parts.Add((path, await TransferTools.WriteRandomFileAsync(path, parallelMebibytes, seed: i + 1)));
            }
            await NewVersionAsync(1000);
            foreach (var (path, partSha) in parts)
                TransferTools.Shell($"curl -sS --fail {auth} -H 'X-Content-SHA256: {partSha}' -T '{path}' -o /dev/null '{Url(1000, Path.GetFileName(path))}'");
            var parallelFloor = Series(() => TransferTools.ShellAll(parts.Select(p => $"tee '{p.Path}.copy' < '{p.Path}' | openssl dgst -sha256 > /dev/null")));
            var parallelDownload = await SeriesAsync(() =>
            {
                var elapsed = TransferTools.ShellAll(parts.Select(p => $"curl -sS --fail {auth} -o '{p.Path}.down' '{Url(1000, Path.GetFileName(p.Path))}'"));
                foreach (var (path, partSha) in parts)
                {
                    digestsMatch &= TransferTools.Sha256Async(path + ".down").GetAwaiter().GetResult() == partSha;
                    File.Delete(path + ".down");
                }
                return Task.FromResult((elapsed, 0.0));
            });

            var size = mebibytes * 1048576.0;
            var parallelSize = Parallel * parallelMebibytes * 1048576.0;
            var figures = new[]
            {
                Report("floor: tee + openssl dgst -sha256, one pass", floor, size, null),
                Report("upload (curl -T, digest announced)", upload.Times, size, floor, upload.Peaks),
                Report("download (curl -o, verified while streaming)", download.Times, size, floor, download.Peaks),
                Report($"floor: {Parallel} one-pass processes at once", parallelFloor, parallelSize, null),
                Report($"{Parallel} concurrent downloads of different artifacts", parallelDownload.Times, parallelSize, parallelFloor),
            };
            var met = new
            {
                Upload = figures[1].ShareOfFloor >= TargetShare, Download = figures[2].ShareOfFloor >= TargetShare,
                ParallelDownloads = figures[4].ShareOfFloor >= TargetShare,
                WorkingSetUnder64MiB = figures[1].PeakGrowthMiB < 64 && figures[2].PeakGrowthMiB < 64,
            };
            Console.WriteLine($"file: {mebibytes} MiB; {Parallel} × {parallelMebibytes} MiB; median of {Runs} runs after a warm-up (range)");
            foreach (var f in figures)
                Console.WriteLine("  " + f);
            Console.WriteLine($"  checks: every downloaded file's SHA-256 matches: {digestsMatch}; targets ≥ {TargetShare:P0} of the floor: {met}");
            var file = await BenchmarkReport.WriteAsync("transfer", new
            {
                Benchmark = "artifact transfer through the API, curl as the client", Machine = Machine.Describe(),
                Parameters = new { MiB = mebibytes, Parallel, ParallelMiB = parallelMebibytes, Runs, Store = "file system" },
                Figures = figures, Targets = new { Share = TargetShare, Met = met }, Checks = new { DigestsMatch = digestsMatch },
            });
            Console.WriteLine($"  written to {file}");
            return digestsMatch ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    internal sealed record TransferFigure(string Name, double MedianSeconds, double MinSeconds, double MaxSeconds, double MiBPerSecond, double? ShareOfFloor,
        double? PeakGrowthMiB)
    {
        public override string ToString() =>
            $"{Name}: {MedianSeconds:0.00} s ({MinSeconds:0.00}–{MaxSeconds:0.00}), {MiBPerSecond:0} MiB/s"
            + (ShareOfFloor is { } share ? $", {share:P0} of the floor's throughput" : "")
            + (PeakGrowthMiB is { } peak ? $", server working set +{peak:0} MiB at peak" : "");
    }

    private static TransferFigure Report(string name, IReadOnlyList<double> seconds, double bytes, IReadOnlyList<double>? floor, IReadOnlyList<double>? peaks = null)
    {
        var median = Stats.Median(seconds);
        return new TransferFigure(name, median, seconds.Min(), seconds.Max(), bytes / 1048576 / median, floor is null ? null : Stats.Median(floor) / median,
            peaks is null ? null : Math.Round(peaks.Max(), 1));
    }

    /// <summary>A warm-up, then <see cref="Runs"/> timed runs, each after the disk has settled.</summary>
    private static List<double> Series(Func<double> run)
    {
        run();
        return Enumerable.Range(0, Runs).Select(_ =>
        {
            Settle();
            return run();
        }).ToList();
    }

    /// <summary>
    /// Writes out the dirty pages the run before left (untimed): otherwise a run pays for its predecessor's writeback when the
    /// kernel throttles writers, and the same code measured 62–80 % of the floor from one run to the next.
    /// </summary>
    private static void Settle() => TransferTools.Shell("sync");

    private static async Task<(List<double> Times, List<double> Peaks)> SeriesAsync(Func<Task<(double Seconds, double PeakGrowthMiB)>> run)
    {
        await run();
        var times = new List<double>();
        var peaks = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            Settle();
            var (seconds, peak) = await run();
            times.Add(seconds);
            peaks.Add(peak);
        }
        return (times, peaks);
    }
}
