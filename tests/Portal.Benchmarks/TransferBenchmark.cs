using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Upload and download of one large artifact through the API on loopback, against sha256sum + cp of
/// the same file on the same disk, with the process's peak working-set growth during each transfer.
/// </summary>
internal static class TransferBenchmark
{
    public static async Task<int> RunAsync(int mebibytes)
    {
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            var source = Path.Combine(work, "artifact.bin");
            await WriteRandomFileAsync(source, mebibytes);
            var baseline = Time(() => Run("bash", $"-c \"sha256sum '{source}' >/dev/null && cp '{source}' '{work}/copy.bin'\""));
            File.Delete(Path.Combine(work, "copy.bin"));

            await using var app = new PortalApp(DatabaseProvider.Sqlite, realPort: true);
            await app.InitializeAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl), Timeout = TimeSpan.FromMinutes(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.IssueTokenAsync("marketing", TeamRole.Contributor));
            (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = "bench-model", kind = "Model" })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets/bench-model/versions", new { version = "1.0.0" })).EnsureSuccessStatusCode();
            var url = "/api/v1/teams/marketing/assets/bench-model/versions/1.0.0/artifacts/artifact.bin";

            var (upload, uploadPeak) = await MeasureAsync(async () =>
            {
                await using var file = File.OpenRead(source);
                using var content = new StreamContent(file, 1 << 20);
                content.Headers.ContentLength = file.Length;
                (await client.PutAsync(url, content)).EnsureSuccessStatusCode();
            });
            var (download, downloadPeak) = await MeasureAsync(async () =>
            {
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var target = File.Create(Path.Combine(work, "downloaded.bin"));
                await response.Content.CopyToAsync(target);
            });

            var size = mebibytes * 1024.0 * 1024.0;
            Console.WriteLine($"file: {mebibytes} MiB");
            Console.WriteLine($"baseline sha256sum+cp: {baseline.TotalSeconds:0.00} s ({size / 1048576 / baseline.TotalSeconds:0} MiB/s)");
            Console.WriteLine($"upload:   {upload.TotalSeconds:0.00} s ({size / 1048576 / upload.TotalSeconds:0} MiB/s, {100 * baseline.TotalSeconds / upload.TotalSeconds:0}% of baseline), peak working set +{uploadPeak / 1048576.0:0} MiB");
            Console.WriteLine($"download: {download.TotalSeconds:0.00} s ({size / 1048576 / download.TotalSeconds:0} MiB/s, {100 * baseline.TotalSeconds / download.TotalSeconds:0}% of baseline), peak working set +{downloadPeak / 1048576.0:0} MiB");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task WriteRandomFileAsync(string path, int mebibytes)
    {
        var block = RandomNumberGenerator.GetBytes(1 << 20);
        await using var file = File.Create(path);
        for (var i = 0; i < mebibytes; i++)
        {
            block[0] = (byte)i;
            await file.WriteAsync(block);
        }
    }

    /// <summary>Runs a transfer while sampling this process's working set; returns the time and the growth of its peak.</summary>
    private static async Task<(TimeSpan Elapsed, long PeakGrowth)> MeasureAsync(Func<Task> transfer)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20);
            }
        });
        var watch = Stopwatch.StartNew();
        await transfer();
        watch.Stop();
        await stop.CancelAsync();
        await sampler;
        return (watch.Elapsed, peak - before);
    }

    private static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed.");
    }
}
