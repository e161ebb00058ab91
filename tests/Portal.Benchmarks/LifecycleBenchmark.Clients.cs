using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>The lifecycle benchmark's clients: the calls of one cycle, run by every client at once, and the floor's calls.</summary>
internal static partial class LifecycleBenchmark
{
    private sealed record Lifecycle(PortalApp App, CallerAccess Contributor, CallerAccess Approver);

    private sealed record CycleTimes(double Staging, double Request, double Approve);

    /// <summary>
    /// Every client, at once, takes its next versions to Staging and then to Production; a wrong outcome stops the run. The calls
    /// run on the thread pool, as a server's requests do. Each client's first call is timed from the moment all were released,
    /// so its wait for a pool thread behind the 31 others counts; later calls start the moment the one before ends.
    /// </summary>
    /// <remarks>
    /// The clients ran on 32 threads of their own until 2026-12-05: each repeat then began with 32 new threads runnable at once on
    /// two cores, among which the writer holding SQLite's one turn got a thirty-second of the CPU. In one repeat of five the
    /// first cycle's calls all took 250–300 ms while the second cycle's took 11–21 ms: a burst of fresh threads no server
    /// makes (its requests run on the pool), measured instead of the lifecycle.
    /// </remarks>
    private static async Task<List<CycleTimes>> RunCyclesAsync(Lifecycle lifecycle, IReadOnlyList<string> assets, int[] next, int cyclesEach, int expectedRules)
    {
        var samples = new ConcurrentBag<CycleTimes>();
        var released = Stopwatch.GetTimestamp();
        await Task.WhenAll(assets.Select((asset, client) => Task.Run(async () =>
        {
            for (var c = 0; c < cyclesEach; c++)
                samples.Add(await CycleAsync(lifecycle, asset, LifecycleSeed.VersionName(next[client]++), expectedRules, c == 0 ? released : Stopwatch.GetTimestamp()));
        })));
        return [.. samples];
    }

    private static async Task<CycleTimes> CycleAsync(Lifecycle lifecycle, string asset, string version, int expectedRules, long startedAt)
    {
        var (app, contributor, approver) = lifecycle;
        Expect(await app.InScopeAsync<TransitionService, Result<TransitionView>>(s =>
            s.RequestAsync(contributor, Team, asset, version, "Staging", "Nightly candidate")), TransitionState.Applied);
        var stagingMs = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;

        var watch = Stopwatch.StartNew();
        var request = Expect(await app.InScopeAsync<TransitionService, Result<TransitionView>>(s =>
            s.RequestAsync(contributor, Team, asset, version, "Production", "Beats the current Production version")), TransitionState.Pending);
        var requestMs = watch.Elapsed.TotalMilliseconds;
        if (request.Evaluation.Count != expectedRules)
            throw new InvalidOperationException($"{asset} {version}: {request.Evaluation.Count} rules judged, expected {expectedRules}.");

        watch.Restart();
        Expect(await app.InScopeAsync<DecisionService, Result<TransitionView>>(s => s.DecideAsync(approver, request.Id, true, "Reviewed the metrics")),
            TransitionState.Applied);
        return new CycleTimes(stagingMs, requestMs, watch.Elapsed.TotalMilliseconds);
    }

    private static TransitionView Expect(Result<TransitionView> result, TransitionState state) =>
        result.IsSuccess && result.Value.State == state
            ? result.Value
            : throw new InvalidOperationException(result.IsSuccess
                ? $"Request {result.Value.Id} is {result.Value.State}, expected {state}: {result.Value.CloseReason}"
                : $"{result.Error!.Code}: {result.Error.Message}");

    /// <summary>The fastest round trip the services could make: open a context from the same factory, run SELECT 1, close it.</summary>
    private static async Task<List<double>> FloorAsync(IDbContextFactory<PortalDbContext> dbFactory, int clients)
    {
        var samples = new ConcurrentBag<double>();
        await OnClientThreadsAsync(clients, async _ =>
        {
            for (var i = 0; i < FloorCallsPerClient; i++)
            {
                var watch = Stopwatch.StartNew();
                await using var db = await dbFactory.CreateDbContextAsync();
                var one = await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").ToListAsync();
                samples.Add(watch.Elapsed.TotalMilliseconds);
                if (one is not [1])
                    throw new InvalidOperationException("SELECT 1 did not return 1.");
            }
        });
        return [.. samples];
    }

    /// <summary>
    /// Runs each floor client on a thread of its own: its <c>SELECT 1</c> calls never yield, so on the thread pool the clients would
    /// run one after another, each unseen while it waited to start.
    /// </summary>
    private static Task OnClientThreadsAsync(int clients, Func<int, Task> client)
    {
        var threads = Enumerable.Range(0, clients).Select(i => new Thread(() => client(i).GetAwaiter().GetResult()) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        return Task.Run(() => threads.ForEach(t => t.Join()));
    }
}
