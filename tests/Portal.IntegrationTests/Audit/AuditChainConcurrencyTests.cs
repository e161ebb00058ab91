using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Audit;
using Portal.Infrastructure.Data;

namespace Portal.IntegrationTests.Audit;

/// <summary>Writers on many connections at once (as several portal instances would) still make one gap-free chain.</summary>
public sealed class AuditChainConcurrencyTests
{
    [Fact]
    public async Task Many_connections_appending_at_once_make_one_gap_free_chain_on_PostgreSql()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        const int writers = 16, savesEach = 25;
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await start.WaitAsync();
            for (var i = 0; i < savesEach; i++)
            {
                await using var db = await chain.Factory.CreateDbContextAsync();
                // Two events in one save, so a save's events must stay adjacent too.
                db.Record(Actor.System($"writer-{w}"), DateTimeOffset.UtcNow, "asset.updated", "asset", $"w{w}", after: new { i, part = 1 });
                db.Record(Actor.System($"writer-{w}"), DateTimeOffset.UtcNow, "asset.updated", "asset", $"w{w}", after: new { i, part = 2 });
                await db.SaveChangesAsync();
            }
        })).ToList();
        start.Release(writers);
        await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(1, writers * savesEach * 2).Select(i => (long)i), await chain.SequencesAsync());
        var result = await chain.VerifyAsync();
        Assert.True(result.IsValid, result.Message);
        await using var check = await chain.Factory.CreateDbContextAsync();
        var pairs = await check.AuditEvents.Where(e => e.Action == "asset.updated").OrderBy(e => e.Sequence).Select(e => e.After!).ToListAsync();
        for (var i = 0; i < pairs.Count; i += 2)
            Assert.Equal(pairs[i].Replace("\"part\":1", "\"part\":2"), pairs[i + 1]);
    }
}
