using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Version registration through the API under concurrency: one client, then 32 at once, in a process of its
/// own (<see cref="RegisterClient"/>), each posting versions of one shared asset one after another
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
        using var client = RegisterClient.Start(app.RootUrl, token);
        var run = 0;
        var cpuPerRegistration = new List<(double Portal, double Database)>();
        using var chainTimes = new AuditChainListener();
        var chainPerRegistration = new List<AuditChainListener.Totals>();
        var gcPauses = new List<CollectorPauses>();
        Task<ClientProcess.Loops> MeasureAsync(string what, int count, int each) => client.RunAsync(what, run++, count, each);
        var series = new Dictionary<string, List<ClientProcess.Loops>>();
        void Add(string name, ClientProcess.Loops s) => (series.TryGetValue(name, out var list) ? list : series[name] = []).Add(s);
        // Warm-up, twice: the JIT and pools of the server and of the client process (both reach their optimised code
        // before timing; a client still compiling its own code took CPU from the server in the timed runs).
        for (var w = 0; w < 2; w++)
        {
            await MeasureAsync("health", clients, 20);
            await MeasureAsync("register", clients, 5);
            await MeasureAsync("register", 1, 20);
        }
        for (var r = 0; r < Runs; r++)
        {
            Add("floor: GET /health/ready, 1 client", await MeasureAsync("health", 1, requests));
            Add("register a version, 1 client", await MeasureAsync("register", 1, requests));
            Add($"floor: GET /health/ready, {clients} clients", await MeasureAsync("health", clients, requests / clients * 4));
            var (portalCpu, databaseCpu, chain) = (Cpu.ThisProcess(), Cpu.PostgresServer(), chainTimes.Now());
            var collector = CollectorPauses.Now();
            var each = Math.Max(requests / clients * 2, 10);
            var timed = await MeasureAsync("register", clients, each);
            Add($"register a version, {clients} clients", timed);
            // A collection pauses every request in flight: a run whose p95 stands out says here whether it had one.
            gcPauses.Add(CollectorPauses.Since(collector));
            Console.WriteLine($"  run {r + 1}, {clients} clients: p95 {timed.P95Ms:0.0} ms, median {timed.MedianMs:0.0} ms; {gcPauses[^1]}");
            // The server runs in this process and the clients in another: this process's CPU is the portal's.
            var registrations = clients * each;
            cpuPerRegistration.Add(((Cpu.ThisProcess() - portalCpu).TotalMilliseconds / registrations,
                (Cpu.PostgresServer() - databaseCpu).TotalMilliseconds / registrations));
            chainPerRegistration.Add(chainTimes.Now() - chain);
        }
        var portalCpuMs = Math.Round(Stats.Median(cpuPerRegistration.Select(c => c.Portal)), 1);
        var databaseCpuMs = Math.Round(Stats.Median(cpuPerRegistration.Select(c => c.Database)), 1);
        var chainWaitMs = Math.Round(Stats.Median(chainPerRegistration.Select(c => c.MeanWaitMs)), 2);
        var chainHoldMs = Math.Round(Stats.Median(chainPerRegistration.Select(c => c.MeanHoldMs)), 2);
        var figures = series.Select(s => new
        {
            Name = s.Key,
            MedianPerSecond = Stats.Median(s.Value.Select(x => x.PerSecond)), MinPerSecond = s.Value.Min(x => x.PerSecond), MaxPerSecond = s.Value.Max(x => x.PerSecond),
            MedianP95Ms = Stats.Median(s.Value.Select(x => x.P95Ms)), MinP95Ms = s.Value.Min(x => x.P95Ms), MaxP95Ms = s.Value.Max(x => x.P95Ms),
            MedianLatencyMs = Stats.Median(s.Value.Select(x => x.MedianMs)),
        }).ToList();
        var one = figures.Single(f => f.Name == "register a version, 1 client");
        var many = figures.Single(f => f.Name == $"register a version, {clients} clients");
        var met = kind == DatabaseProvider.Sqlite
            ? new { Target = $"{clients} clients at least at the one-client rate", Met = many.MedianPerSecond >= one.MedianPerSecond }
            : new { Target = $"p95 < 50 ms with {clients} clients", Met = many.MedianP95Ms < 50 };
        Console.WriteLine($"{kind}: {Runs} runs after a warm-up; the client is a process of its own");
        foreach (var f in figures)
            Console.WriteLine($"  {f.Name}: {f.MedianPerSecond:0}/s ({f.MinPerSecond:0}–{f.MaxPerSecond:0}), p95 {f.MedianP95Ms:0.0} ms ({f.MinP95Ms:0.0}–{f.MaxP95Ms:0.0}), median {f.MedianLatencyMs:0.0} ms");
        Console.WriteLine($"  CPU per registration at {clients} clients: {portalCpuMs} ms in the portal"
            + (kind == DatabaseProvider.PostgreSql ? $" + {databaseCpuMs} ms in PostgreSQL" : "") + $", on {Environment.ProcessorCount} cores");
        Console.WriteLine($"  the audit chain's lock at {clients} clients, mean per registration: waited for {chainWaitMs} ms, held {chainHoldMs} ms");
        Console.WriteLine($"  target: {met.Target}: {(met.Met ? "met" : "MISSED")}");
        var file = await BenchmarkReport.WriteAsync($"register-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "version registration through the API, clients in processes of their own", Provider = kind.ToString(), Machine = Machine.Describe(),
            Parameters = new { Clients = clients, Requests = requests, Runs }, Figures = figures, Target = met,
            CpuMsPerRegistration = new { Portal = portalCpuMs, PostgreSql = kind == DatabaseProvider.PostgreSql ? databaseCpuMs : (double?)null },
            AuditChainLockMsPerRegistration = new { Wait = chainWaitMs, Hold = chainHoldMs },
            GcPausesPerRunAtManyClients = gcPauses,
        });
        Console.WriteLine($"  written to {file}");
        return met.Met ? 0 : 1;
    }
}
