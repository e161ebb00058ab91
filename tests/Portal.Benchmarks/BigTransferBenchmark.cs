using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// One large artifact (default 4 GiB) up and down through the API with curl in its own process, on the file-system store or
/// on S3 (s3rver, a process of its own), while the server's working set is sampled every 2 ms: a transfer streams, so its
/// peak growth must stay under 64 MiB whatever the file's size. A small transfer each way warms up first; the one-pass
/// floor on the same file is timed once for scale, and the managed bytes the server allocated during each transfer are counted.
/// </summary>
internal static class BigTransferBenchmark
{
    private const double TargetGrowthMiB = 64;

    public static async Task<int> RunAsync(int mebibytes, string store)
    {
        var onS3 = store switch
        {
            "s3" => true,
            "filesystem" => false,
            _ => throw new ArgumentException($"Unknown store '{store}': use filesystem or s3."),
        };
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var s3 = onS3 ? S3Portal.OnRealPort() : null;
        try
        {
            var source = Path.Combine(work, "big.bin");
            var warm = Path.Combine(work, "warm.bin");
            var sha = await TransferTools.WriteRandomFileAsync(source, mebibytes, seed: 0);
            var warmSha = await TransferTools.WriteRandomFileAsync(warm, 16, seed: 1);
            var floor = TransferTools.Shell($"tee '{work}/copy.bin' < '{source}' | openssl dgst -sha256 > /dev/null");
            File.Delete(Path.Combine(work, "copy.bin"));

            PortalApp app;
            if (s3 is not null)
            {
                await s3.InitializeAsync();
                app = s3.App;
            }
            else
            {
                app = new PortalApp(DatabaseProvider.Sqlite, realPort: true);
                await app.InitializeAsync();
            }
            await using var _ = s3 is null ? app : null;
            var token = await app.IssueTokenAsync("marketing", TeamRole.Contributor);
            using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = "big-model", kind = "Model" })).EnsureSuccessStatusCode();
            foreach (var version in new[] { "0.9.0", "1.0.0" })
                (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets/big-model/versions", new { version })).EnsureSuccessStatusCode();
            string Url(string version, string file) => $"{app.RootUrl}/api/v1/teams/marketing/assets/big-model/versions/{version}/artifacts/{file}";
            var auth = $"-H 'Authorization: Bearer {token}'";
            string Upload(string version, string path, string digest) =>
                $"curl -sS --fail {auth} -H 'X-Content-SHA256: {digest}' -T '{path}' -o /dev/null '{Url(version, Path.GetFileName(path))}'";
            string Download(string version, string path, string target) => $"curl -sS --fail {auth} -o '{target}' '{Url(version, Path.GetFileName(path))}'";

            TransferTools.Shell(Upload("0.9.0", warm, warmSha));
            TransferTools.Shell(Download("0.9.0", warm, warm + ".down"));
            var target = Path.Combine(work, "downloaded.bin");
            var (upSeconds, upGrowth, upAllocated) = await TransferTools.WithPeakAndAllocationsAsync(() => TransferTools.Shell(Upload("1.0.0", source, sha)));
            var (downSeconds, downGrowth, downAllocated) = await TransferTools.WithPeakAndAllocationsAsync(() => TransferTools.Shell(Download("1.0.0", source, target)));
            var digestMatches = await TransferTools.Sha256Async(target) == sha;

            var storeName = onS3 ? "S3 (s3rver)" : "file system";
            var met = upGrowth < TargetGrowthMiB && downGrowth < TargetGrowthMiB;
            Console.WriteLine($"{storeName}: one {mebibytes} MiB artifact each way, curl in its own process; floor (tee + openssl, one pass) {floor:0.0} s");
            Console.WriteLine($"  upload:   {upSeconds:0.0} s, {mebibytes / upSeconds:0} MiB/s, server working set +{upGrowth:0} MiB at peak, {upAllocated:0} MiB allocated");
            Console.WriteLine($"  download: {downSeconds:0.0} s, {mebibytes / downSeconds:0} MiB/s, server working set +{downGrowth:0} MiB at peak, {downAllocated:0} MiB allocated");
            Console.WriteLine($"  checks: the downloaded file's SHA-256 matches: {digestMatches}; peak growth < {TargetGrowthMiB} MiB each way: {(met ? "met" : "MISSED")}");
            var file = await BenchmarkReport.WriteAsync($"big-transfer-{store}", new
            {
                Benchmark = "one large artifact each way through the API, peak working set", Machine = Machine.Describe(),
                Parameters = new { MiB = mebibytes, Store = storeName },
                FloorSeconds = Math.Round(floor, 2),
                Upload = new { Seconds = Math.Round(upSeconds, 2), PeakGrowthMiB = Math.Round(upGrowth, 1), AllocatedMiB = Math.Round(upAllocated) },
                Download = new { Seconds = Math.Round(downSeconds, 2), PeakGrowthMiB = Math.Round(downGrowth, 1), AllocatedMiB = Math.Round(downAllocated) },
                Target = new { PeakGrowthMiB = TargetGrowthMiB, Met = met }, Checks = new { DigestMatches = digestMatches },
            });
            Console.WriteLine($"  written to {file}");
            return digestMatches ? 0 : 1;
        }
        finally
        {
            if (s3 is not null)
                await s3.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }
}
