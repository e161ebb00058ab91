using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Core.Audit;
using Portal.Core.Audit.Chain;
using Portal.Core.Common;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>
/// The chain reports how long each audited save waited for its lock and held it (AuditChainMetrics). SQLite's writers hold it from
/// their first audited save to their commit; on PostgreSQL a transaction's events are written with its COMMIT, in one command, whose
/// trigger takes the lock (AuditChainNumbering), so an open unit holds back no other writer there.
/// </summary>
public sealed class AuditChainMetricsTests
{
    [Fact]
    public async Task Each_audited_save_reports_its_wait_and_each_transaction_that_held_the_chain_its_hold()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var measured = new AuditChainListener(thisFlowOnly: true);

        await chain.WriteEventsAsync(3);
        var unitHeld = TimeSpan.FromMilliseconds(300);
        await UnitOfTwoSavesAsync(chain, unitHeld);

        // Three saves in transactions of the chain's own, then a unit of two saves that holds the chain from its first save to its commit.
        Assert.Equal(5, measured.Waits.Count);
        Assert.Equal(4, measured.Holds.Count);
        Assert.All(measured.Waits.Concat(measured.Holds), seconds => Assert.InRange(seconds, 0, 30));
        Assert.InRange(measured.Holds[^1], unitHeld.TotalSeconds * 0.9, 30);
    }

    [Fact]
    public async Task On_PostgreSQL_each_commit_with_events_reports_its_hold_and_a_unit_holds_the_chain_only_while_it_commits()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        using var measured = new AuditChainListener(thisFlowOnly: true);

        await chain.WriteEventsAsync(3);
        var unitOpen = TimeSpan.FromMilliseconds(300);
        // While the unit waits before its commit, another writer (measured in a flow of its own) appends: the unit holds nothing yet.
        Task other;
        using (ExecutionContext.SuppressFlow())
            other = Task.Run(async () =>
            {
                await Task.Delay(unitOpen / 3);
                await chain.WriteEventsAsync(1);
            });
        await UnitOfTwoSavesAsync(chain, unitOpen);
        await other;

        Assert.Empty(measured.Waits);
        Assert.Equal(4, measured.Holds.Count);
        Assert.All(measured.Holds, seconds => Assert.InRange(seconds, 0, 30));
        var subjects = await SubjectsAsync(chain);
        Assert.Equal(["asset-0", "asset-1", "asset-2", "asset-0", "in-a-unit", "in-a-unit, again"], subjects);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task On_PostgreSQL_a_commit_waits_for_the_chains_lock_and_reports_the_wait_in_its_hold()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await chain.WriteEventsAsync(1);
        // Another instance's commit, stopped while it holds the lock.
        await using var connection = (NpgsqlConnection)chain.RawConnection();
        await connection.OpenAsync();
        await using var holder = await connection.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AuditChain.PostgresLockKey})", connection, holder))
            await take.ExecuteNonQueryAsync();

        using var measured = new AuditChainListener(thisFlowOnly: true);
        await using var writer = await chain.Factory.CreateDbContextAsync();
        writer.Record(Actor.System("metrics-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", "writer");
        var saving = writer.SaveChangesAsync();
        var held = TimeSpan.FromMilliseconds(400);
        await Task.Delay(held);
        Assert.False(saving.IsCompleted, "the writer committed while the chain's lock was held");
        await holder.CommitAsync();
        await saving;

        var hold = Assert.Single(measured.Holds);
        Assert.InRange(hold, held.TotalSeconds * 0.9, 30);
        var sequences = await chain.SequencesAsync();
        Assert.Equal([1L, 2L], sequences);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    private static async Task UnitOfTwoSavesAsync(AuditChainDatabase chain, TimeSpan beforeCommit)
    {
        await using var db = await chain.Factory.CreateDbContextAsync();
        await using var unit = await db.Database.BeginTransactionAsync();
        db.Record(Actor.System("metrics-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", "in-a-unit");
        await db.SaveChangesAsync();
        db.Record(Actor.System("metrics-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", "in-a-unit, again");
        await db.SaveChangesAsync();
        await Task.Delay(beforeCommit);
        await unit.CommitAsync();
    }

    private static async Task<List<string>> SubjectsAsync(AuditChainDatabase chain)
    {
        await using var db = await chain.Factory.CreateDbContextAsync();
        return await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.SubjectId).ToListAsync();
    }
}
