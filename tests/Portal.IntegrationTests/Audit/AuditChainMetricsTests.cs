using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>The chain reports how long each audited save waited for its lock and held it (AuditChainMetrics).</summary>
public sealed class AuditChainMetricsTests
{
    [Theory]
    [MemberData(nameof(AuditChainDatabase.Providers), MemberType = typeof(AuditChainDatabase))]
    public async Task Each_audited_save_reports_its_wait_and_each_transaction_that_held_the_chain_its_hold(DatabaseProvider provider)
    {
        await using var chain = await AuditChainDatabase.CreateAsync(provider);
        using var measured = new AuditChainListener(thisFlowOnly: true);

        await chain.WriteEventsAsync(3);
        var unitHeld = TimeSpan.FromMilliseconds(300);
        await using (var db = await chain.Factory.CreateDbContextAsync())
        {
            await using var unit = await db.Database.BeginTransactionAsync();
            db.Record(Actor.System("metrics-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", "in-a-unit");
            await db.SaveChangesAsync();
            db.Record(Actor.System("metrics-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", "in-a-unit, again");
            await db.SaveChangesAsync();
            await Task.Delay(unitHeld);
            await unit.CommitAsync();
        }

        // Three saves in transactions of the chain's own, then a unit of two saves that holds the chain from its first save to its commit.
        Assert.Equal(5, measured.Waits.Count);
        Assert.Equal(4, measured.Holds.Count);
        Assert.All(measured.Waits.Concat(measured.Holds), seconds => Assert.InRange(seconds, 0, 30));
        Assert.InRange(measured.Holds[^1], unitHeld.TotalSeconds * 0.9, 30);
    }

    [Fact]
    public async Task A_writer_reports_the_time_it_waited_while_another_held_the_chain()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var holder = await chain.Factory.CreateDbContextAsync();
        await using var unit = await holder.Database.BeginTransactionAsync();
        holder.Record(Actor.System("metrics-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", "holder");
        await holder.SaveChangesAsync();

        using var measured = new AuditChainListener(thisFlowOnly: true);
        await using var writer = await chain.Factory.CreateDbContextAsync();
        writer.Record(Actor.System("metrics-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", "writer");
        var waiting = writer.SaveChangesAsync();
        var held = TimeSpan.FromMilliseconds(400);
        await Task.Delay(held);
        Assert.False(waiting.IsCompleted, "the writer saved while the chain's lock was held");
        await unit.CommitAsync();
        await waiting;

        var wait = Assert.Single(measured.Waits);
        Assert.InRange(wait, held.TotalSeconds * 0.9, 30);
        // The holder's hold ends with its commit, in this test's flow; the writer's follows.
        Assert.Equal(2, measured.Holds.Count);
        Assert.InRange(measured.Holds[0], held.TotalSeconds * 0.9, 30);
        var sequences = await chain.SequencesAsync();
        Assert.Equal([1L, 2L], sequences);
    }
}
