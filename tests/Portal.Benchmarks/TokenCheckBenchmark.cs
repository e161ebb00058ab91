using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// The bearer token check every API call with a token makes (the token, its team and its issuer's current roles, ADR-008), one
/// call after another on one caller. The floor is the fastest round trip the service could make: a context from the same factory,
/// <c>SELECT 1</c>, closed. 5 runs of 5,000 calls after a warm-up; per run the mean time and CPU per call (this process, and every
/// PostgreSQL server process), then the median and range of the runs.
/// </summary>
internal static class TokenCheckBenchmark
{
    private const int Runs = 5;
    private const int Calls = 5000;

    public static async Task<int> RunAsync(DatabaseProvider kind)
    {
        await using var app = new PortalApp(kind);
        await app.InitializeAsync();
        var token = await app.IssueTokenAsync("marketing", TeamRole.Contributor);
        using var scope = app.Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();

        async Task Check()
        {
            if (!(await tokens.AuthenticateAsync(token)).IsSuccess)
                throw new InvalidOperationException("The benchmark's token was refused.");
        }

        async Task Floor()
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            if (await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").ToListAsync() is not [1])
                throw new InvalidOperationException("SELECT 1 did not return 1.");
        }

        for (var i = 0; i < 3 * Calls / 5; i++)
        {
            await Floor();
            await Check();
        }
        var floor = new List<Run>();
        var check = new List<Run>();
        for (var r = 0; r < Runs; r++)
        {
            floor.Add(await MeasureAsync(Floor));
            check.Add(await MeasureAsync(Check));
        }
        var figures = new[] { Summary.Of("floor: SELECT 1 through the context factory", floor), Summary.Of("token check", check) };
        Console.WriteLine($"{kind}: {Runs} runs of {Calls} calls after a warm-up, one caller");
        foreach (var f in figures)
            Console.WriteLine($"  {f.Name}: {f.MicrosecondsPerCall:0} µs a call ({f.MinMicroseconds:0}–{f.MaxMicroseconds:0}), CPU {f.CpuMicroseconds:0} µs in this process"
                + (kind == DatabaseProvider.PostgreSql ? $" + {f.DatabaseCpuMicroseconds:0} µs in PostgreSQL" : ""));
        Console.WriteLine($"  the token check takes {figures[1].MicrosecondsPerCall / figures[0].MicrosecondsPerCall:0.0}× the floor's time");
        var file = await BenchmarkReport.WriteAsync($"token-check-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "bearer token check (token, team, issuer's roles), one caller", Provider = kind.ToString(), Machine = Machine.Describe(),
            Parameters = new { Runs, Calls }, Figures = figures,
        });
        Console.WriteLine($"  written to {file}");
        return 0;
    }

    private sealed record Run(double Microseconds, double CpuMicroseconds, double DatabaseCpuMicroseconds);

    private sealed record Summary(string Name, double MicrosecondsPerCall, double MinMicroseconds, double MaxMicroseconds, double CpuMicroseconds,
        double DatabaseCpuMicroseconds)
    {
        public static Summary Of(string name, List<Run> runs) => new(name, Math.Round(Stats.Median(runs.Select(r => r.Microseconds))),
            Math.Round(runs.Min(r => r.Microseconds)), Math.Round(runs.Max(r => r.Microseconds)), Math.Round(Stats.Median(runs.Select(r => r.CpuMicroseconds))),
            Math.Round(Stats.Median(runs.Select(r => r.DatabaseCpuMicroseconds))));
    }

    private static async Task<Run> MeasureAsync(Func<Task> call)
    {
        var (cpu, databaseCpu) = (Cpu.ThisProcess(), Cpu.PostgresServer());
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Calls; i++)
            await call();
        var elapsed = watch.Elapsed;
        return new Run(elapsed.TotalMicroseconds / Calls, (Cpu.ThisProcess() - cpu).TotalMicroseconds / Calls,
            (Cpu.PostgresServer() - databaseCpu).TotalMicroseconds / Calls);
    }
}
