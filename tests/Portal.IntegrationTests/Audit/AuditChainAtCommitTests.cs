using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Core.Audit;
using Portal.Core.Audit.Chain;
using Portal.Core.Common;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>
/// PostgreSQL appends a transaction's events to the chain inside its commit, from the pending table (AuditChainAtCommit); on every
/// provider the events of a transaction join the chain in the order they were recorded.
/// </summary>
public sealed class AuditChainAtCommitTests
{
    [Fact]
    public async Task The_pending_table_has_the_audit_tables_columns_in_the_same_order()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var events = await ColumnsAsync(chain, "audit_events");
        var pending = await ColumnsAsync(chain, AuditChain.PendingTable);
        Assert.NotEmpty(events);
        Assert.Equal(events, pending);
    }

    [Fact]
    public async Task A_rolled_back_transaction_appends_nothing_and_leaves_nothing_pending()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await chain.WriteEventsAsync(2);
        await using (var db = await chain.Factory.CreateDbContextAsync())
        {
            await using var unit = await db.Database.BeginTransactionAsync();
            db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "asset.updated", "asset", "rolled-back");
            await db.SaveChangesAsync();
            await unit.RollbackAsync();
        }
        await chain.WriteEventsAsync(1);

        var sequences = await chain.SequencesAsync();
        Assert.Equal([1L, 2L, 3L], sequences);
        Assert.Equal(0L, await PendingCountAsync(chain));
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    [Theory]
    [MemberData(nameof(AuditChainDatabase.Providers), MemberType = typeof(AuditChainDatabase))]
    public async Task Events_of_one_transaction_join_the_chain_in_the_order_recorded_and_their_hashes_verify(DatabaseProvider provider)
    {
        await using var chain = await AuditChainDatabase.CreateAsync(provider);
        await using (var db = await chain.Factory.CreateDbContextAsync())
        {
            await using var unit = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < 5; i++)
            {
                db.Record(Actor.ForUser(Guid.NewGuid(), "Ünïcode ✓"), DateTimeOffset.UtcNow, "asset.updated", "asset", $"save-{i / 2}-event-{i % 2}",
                    after: new { Step = i });
                if (i % 2 == 1)
                    await db.SaveChangesAsync();
            }
            await db.SaveChangesAsync();
            await unit.CommitAsync();
        }

        await using var read = await chain.Factory.CreateDbContextAsync();
        var subjects = await read.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.SubjectId).ToListAsync();
        Assert.Equal(["save-0-event-0", "save-0-event-1", "save-1-event-0", "save-1-event-1", "save-2-event-0"], subjects);
        if (provider == DatabaseProvider.PostgreSql)
            Assert.Equal(0L, await PendingCountAsync(chain));
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    private static async Task<List<string>> ColumnsAsync(AuditChainDatabase chain, string table)
    {
        await using var connection = (NpgsqlConnection)chain.RawConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            // format_type names lengths too (character varying(200)): a column widened in one table only differs here.
            """
            SELECT attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END
            FROM pg_attribute WHERE attrelid = @t::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """,
            connection);
        command.Parameters.AddWithValue("t", table);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            columns.Add(reader.GetString(0));
        return columns;
    }

    private static async Task<long> PendingCountAsync(AuditChainDatabase chain)
    {
        await using var connection = (NpgsqlConnection)chain.RawConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {AuditChain.PendingTable}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
