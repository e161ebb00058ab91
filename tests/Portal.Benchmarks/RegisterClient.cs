using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Portal.Benchmarks;

/// <summary>
/// The register benchmark's client: this program again (started as <c>client</c>), one process for the whole
/// benchmark, told each run's work on its standard input. One process, kept: a process started per run spent
/// its first second compiling its own code on the same 2 cores as the server (perf showed about 40 % of the
/// client's samples in the JIT during timed runs), which a load generator does not do to the server it measures.
/// </summary>
internal sealed class RegisterClient : IDisposable
{
    internal sealed record Sample(double PerSecond, double P95Ms);

    private readonly Process process;

    private RegisterClient(Process process) => this.process = process;

    public static RegisterClient Start(string root, string token) =>
        new(Process.Start(new ProcessStartInfo("dotnet", [typeof(RegisterClient).Assembly.Location, "client", root, token])
        { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true })!);

    /// <summary>Runs <paramref name="loops"/> loops at once, each on a connection of its own, and collects their latencies and span.</summary>
    public Sample Run(string what, int run, int loops, int each)
    {
        process.StandardInput.WriteLine(string.Join(' ', what, run, loops, each));
        process.StandardInput.Flush();
        var answer = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The client process ended.");
        var words = answer.Split(' ');
        if (words[0] != "ok")
            throw new InvalidOperationException($"The client failed: {answer}");
        var seconds = TimeSpan.FromTicks(long.Parse(words[2], CultureInfo.InvariantCulture) - long.Parse(words[1], CultureInfo.InvariantCulture)).TotalSeconds;
        var latencies = words.Skip(3).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).Order().ToList();
        return new Sample(latencies.Count / seconds, latencies[(int)Math.Ceiling(latencies.Count * 0.95) - 1]);
    }

    public void Dispose()
    {
        process.StandardInput.Close();
        process.WaitForExit();
        process.Dispose();
    }

    /// <summary>
    /// The client process: for each line <c>what run loops each</c> on its input, opens a connection per loop before
    /// timing, then runs the loops at once, each sending its requests one after another; answers with one line:
    /// <c>ok</c>, the span (start and end ticks) and each latency in ms, or <c>failed</c> and the first failure.
    /// </summary>
    public static async Task<int> MainAsync(string[] args)
    {
        using var client = new HttpClient { BaseAddress = new Uri(args[1]) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[2]);
        while (Console.ReadLine() is { } line)
        {
            var words = line.Split(' ');
            var (what, run, loops, each) = (words[0], words[1], int.Parse(words[2], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture));
            Console.WriteLine(await RunAsync(client, what, run, loops, each));
        }
        return 0;
    }

    private static async Task<string> RunAsync(HttpClient client, string what, string run, int loops, int each)
    {
        await Task.WhenAll(Enumerable.Range(0, loops).Select(async _ => (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode()));
        var failures = new List<string>();
        var began = DateTime.UtcNow.Ticks;
        var results = await Task.WhenAll(Enumerable.Range(0, loops).Select(async loop =>
        {
            var latencies = new List<double>(each);
            for (var i = 0; i < each; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = what == "health"
                    ? await client.GetAsync("/health/ready")
                    // A version nobody else registers: major = run, minor = loop, patch = request.
                    : await client.PostAsJsonAsync("/api/v1/teams/marketing/assets/bench-register/versions", new { version = $"{run}.{loop}.{i}" });
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    var failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}".ReplaceLineEndings(" ");
                    lock (failures)
                        failures.Add(failure);
                }
            }
            return latencies;
        }));
        var ended = DateTime.UtcNow.Ticks;
        return failures.Count > 0
            ? $"failed {failures.Count} requests, the first: {failures[0]}"
            : string.Join(' ', ["ok", began.ToString(CultureInfo.InvariantCulture), ended.ToString(CultureInfo.InvariantCulture),
                .. results.SelectMany(r => r).Select(l => l.ToString("0.###", CultureInfo.InvariantCulture))]);
    }
}
