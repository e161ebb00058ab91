using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Version registration through the API under concurrency: one client, then 32 at once, in a process of its
/// own (this program, started as <c>client</c>), each posting versions of one shared asset one after another
/// on a connection of its own. The floor is <c>GET /health/ready</c> by the same client at the same
/// concurrency. Connections are opened before timing; the rate is all requests over the span from the
/// start to the last answer. 5 runs after a warm-up; median and range.
/// </summary>
internal static class RegisterBenchmark
{
    private const int Runs = 5;

    public static async Task<int> RunAsync(DatabaseProvider kind, int clients, int requests)
    {
        await using var app = new PortalApp(kind, realPort: true);
        await app.InitializeAsync();
        var token = await app.IssueTokenAsync("marketing", TeamRole.Contributor);
        using (var setup = new HttpClient { BaseAddress = new Uri(app.RootUrl) })
        {
            setup.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await setup.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = "bench-register", kind = "Model" })).EnsureSuccessStatusCode();
        }
        var run = 0;
        var cpuPerRegistration = new List<(double Portal, double Database)>();
        Sample Measure(string what, int count, int each) => Clients(app.RootUrl, token, what, run++, count, each);
        var series = new Dictionary<string, List<Sample>>();
        void Add(string name, Sample s) => (series.TryGetValue(name, out var list) ? list : series[name] = []).Add(s);
        // Warm-up: the server's JIT and pools, both paths.
        Measure("health", clients, 20);
        Measure("register", clients, 5);
        for (var r = 0; r < Runs; r++)
        {
            Add("floor: GET /health/ready, 1 client", Measure("health", 1, requests));
            Add("register a version, 1 client", Measure("register", 1, requests));
            Add($"floor: GET /health/ready, {clients} clients", Measure("health", clients, requests / clients * 4));
            var (portalCpu, databaseCpu) = (Cpu.ThisProcess(), Cpu.PostgresServer());
            var each = Math.Max(requests / clients * 2, 10);
            Add($"register a version, {clients} clients", Measure("register", clients, each));
            // The server runs in this process and the clients in another: this process's CPU is the portal's.
            var registrations = clients * each;
            cpuPerRegistration.Add(((Cpu.ThisProcess() - portalCpu).TotalMilliseconds / registrations,
                (Cpu.PostgresServer() - databaseCpu).TotalMilliseconds / registrations));
        }
        var portalCpuMs = Math.Round(Stats.Median(cpuPerRegistration.Select(c => c.Portal)), 1);
        var databaseCpuMs = Math.Round(Stats.Median(cpuPerRegistration.Select(c => c.Database)), 1);
        var figures = series.Select(s => new
        {
            Name = s.Key,
            MedianPerSecond = Stats.Median(s.Value.Select(x => x.PerSecond)), MinPerSecond = s.Value.Min(x => x.PerSecond), MaxPerSecond = s.Value.Max(x => x.PerSecond),
            MedianP95Ms = Stats.Median(s.Value.Select(x => x.P95Ms)), MinP95Ms = s.Value.Min(x => x.P95Ms), MaxP95Ms = s.Value.Max(x => x.P95Ms),
        }).ToList();
        var one = figures.Single(f => f.Name == "register a version, 1 client");
        var many = figures.Single(f => f.Name == $"register a version, {clients} clients");
        var met = kind == DatabaseProvider.Sqlite
            ? new { Target = $"{clients} clients at least at the one-client rate", Met = many.MedianPerSecond >= one.MedianPerSecond }
            : new { Target = $"p95 < 50 ms with {clients} clients", Met = many.MedianP95Ms < 50 };
        Console.WriteLine($"{kind}: {Runs} runs after a warm-up; the client is a process of its own");
        foreach (var f in figures)
            Console.WriteLine($"  {f.Name}: {f.MedianPerSecond:0}/s ({f.MinPerSecond:0}–{f.MaxPerSecond:0}), p95 {f.MedianP95Ms:0.0} ms ({f.MinP95Ms:0.0}–{f.MaxP95Ms:0.0})");
        Console.WriteLine($"  CPU per registration at {clients} clients: {portalCpuMs} ms in the portal"
            + (kind == DatabaseProvider.PostgreSql ? $" + {databaseCpuMs} ms in PostgreSQL" : "") + $", on {Environment.ProcessorCount} cores");
        Console.WriteLine($"  target: {met.Target}: {(met.Met ? "met" : "MISSED")}");
        var file = await BenchmarkReport.WriteAsync($"register-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "version registration through the API, clients in processes of their own", Provider = kind.ToString(), Machine = Machine.Describe(),
            Parameters = new { Clients = clients, Requests = requests, Runs }, Figures = figures, Target = met,
            CpuMsPerRegistration = new { Portal = portalCpuMs, PostgreSql = kind == DatabaseProvider.PostgreSql ? databaseCpuMs : (double?)null },
        });
        Console.WriteLine($"  written to {file}");
        return met.Met ? 0 : 1;
    }

    private sealed record Sample(double PerSecond, double P95Ms);

    /// <summary>
    /// Starts one client process that runs <paramref name="count"/> loops at once, each on a connection of its own
    /// (32 .NET processes on 2 cores would measure the clients); collects their latencies and span.
    /// </summary>
    private static Sample Clients(string root, string token, string what, int run, int count, int each)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet",
            [typeof(RegisterBenchmark).Assembly.Location, "client", what, root, token, run.ToString(CultureInfo.InvariantCulture),
                count.ToString(CultureInfo.InvariantCulture), each.ToString(CultureInfo.InvariantCulture)])
        { UseShellExecute = false, RedirectStandardOutput = true })!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The client failed: {string.Join(' ', lines)}");
        var span = lines[0].Split(' ');
        var seconds = TimeSpan.FromTicks(long.Parse(span[1], CultureInfo.InvariantCulture) - long.Parse(span[0], CultureInfo.InvariantCulture)).TotalSeconds;
        var latencies = lines.Skip(1).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).Order().ToList();
        return new Sample(latencies.Count / seconds, latencies[(int)Math.Ceiling(latencies.Count * 0.95) - 1]);
    }

    /// <summary>
    /// The client process: opens one connection per loop before timing, then runs the loops at once, each
    /// sending its requests one after another; prints the span (start and end ticks) and each latency in ms.
    /// </summary>
    public static async Task<int> ClientAsync(string[] args)
    {
        var (what, root, token, run, loops, each) = (args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture),
            int.Parse(args[6], CultureInfo.InvariantCulture));
        using var client = new HttpClient { BaseAddress = new Uri(root) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
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
                    var failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    lock (failures)
                        failures.Add(failure);
                }
            }
            return latencies;
        }));
        var ended = DateTime.UtcNow.Ticks;
        if (failures.Count > 0)
        {
            Console.WriteLine($"{failures.Count} requests failed, the first: {failures[0]}");
            return 1;
        }
        Console.WriteLine($"{began} {ended}");
        foreach (var l in results.SelectMany(r => r))
            Console.WriteLine(l.ToString("0.###", CultureInfo.InvariantCulture));
        return 0;
    }
}
