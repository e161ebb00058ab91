using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Benchmarks;

/// <summary>The lifecycle benchmark's floor in the server's process: the database round trip under the calls.</summary>
internal static partial class LifecycleBenchmark
{
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
