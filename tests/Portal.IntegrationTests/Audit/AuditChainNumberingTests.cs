using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Portal.Core.Audit;
using Portal.Core.Audit.Chain;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>
/// On PostgreSQL a trigger numbers and hashes events as they are inserted (AuditChainNumbering); on every provider the events of a
/// transaction join the chain in the order they were recorded, and a rolled-back transaction leaves no hole.
/// </summary>
public sealed class AuditChainNumberingTests
{
    [Fact]
    public async Task A_rolled_back_transaction_appends_nothing_and_leaves_no_hole()
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
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    /// <summary>
    /// PostgreSQL looks an unqualified table up in the session's temporary schema first: had the trigger read the head through the
    /// session's search path, this session's own <c>audit_events</c> with a forged head would have been chained to.
    /// </summary>
    [Fact]
    public async Task An_event_appended_by_a_session_with_a_table_of_the_same_name_chains_to_the_portal_s_head()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await chain.WriteEventsAsync(2);
        AuditEvent head;
        await using (var db = await chain.Factory.CreateDbContextAsync())
            head = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == 2);

        // One session: a temporary copy of the log whose head carries a forged hash, then the head's content appended again to the portal's table.
        await chain.RawAsync("""
            CREATE TEMP TABLE audit_events AS SELECT * FROM public.audit_events;
            UPDATE pg_temp.audit_events SET "Hash" = decode(repeat('ff', 32), 'hex');
            CREATE TEMP TABLE appended AS SELECT * FROM public.audit_events WHERE "Sequence" = 2;
            UPDATE appended SET "Sequence" = -1, "Hash" = @rest;
            INSERT INTO public.audit_events SELECT * FROM appended;
            """, ("rest", AuditCanonicalForm.AfterSequence(head)));

        var sequences = await chain.SequencesAsync();
        Assert.Equal([1L, 2L, 3L], sequences);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    /// <summary>PostgreSQL keeps a unit's events for its commit: a rollback to a savepoint drops those of the saves it undid.</summary>
    [Fact]
    public async Task Events_of_saves_rolled_back_to_a_savepoint_are_not_appended()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using (var db = await chain.Factory.CreateDbContextAsync())
        {
            await using var unit = await db.Database.BeginTransactionAsync();
            db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "asset.updated", "asset", "kept");
            await db.SaveChangesAsync();
            await unit.CreateSavepointAsync("before-the-undone");
            db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "asset.updated", "asset", "undone");
            await db.SaveChangesAsync();
            await unit.RollbackToSavepointAsync("before-the-undone");
            db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "asset.updated", "asset", "after");
            await db.SaveChangesAsync();
            await unit.CommitAsync();
        }

        await using var read = await chain.Factory.CreateDbContextAsync();
        var subjects = await read.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.SubjectId).ToListAsync();
        Assert.Equal(["kept", "after"], subjects);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task A_unit_that_saved_events_and_then_writes_a_row_does_not_deadlock_with_a_writer_of_that_row()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var teamId = Guid.NewGuid();
        await using (var setup = await chain.Factory.CreateDbContextAsync())
        {
            setup.Teams.Add(new Team { Id = teamId, Slug = "contended", Name = "Contended", CreatedAt = DateTimeOffset.UtcNow });
            setup.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "team.created", "team", teamId.ToString(), teamId);
            await setup.SaveChangesAsync();
        }

        // The archive mover's order: its event first, then the row.
        await using var first = await chain.Factory.CreateDbContextAsync();
        await using var unit = await first.Database.BeginTransactionAsync();
        first.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "team.updated", "team", teamId.ToString(), teamId, after: new { By = "first" });
        await first.SaveChangesAsync();

        // An upload's order: the row and its event in one save. Had the first unit taken the chain's lock in its save, this one would
        // now hold the row and wait for the lock, and the first's write of the row below would close the circle.
        Task second;
        using (ExecutionContext.SuppressFlow())
            second = Task.Run(async () =>
            {
                await using var db = await chain.Factory.CreateDbContextAsync();
                var team = await db.Teams.SingleAsync(t => t.Id == teamId);
                team.Name = "Second";
                db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "team.updated", "team", teamId.ToString(), teamId, after: new { By = "second" });
                await db.SaveChangesAsync();
            });
        // The second writer has finished, or is waiting for the chain's lock (what it would do had the first one taken it).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!second.IsCompleted && !await SomeoneWaitsForTheChainAsync(chain) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        await first.Teams.Where(t => t.Id == teamId).ExecuteUpdateAsync(u => u.SetProperty(t => t.Description, "first"));
        await unit.CommitAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(30));

        var sequences = await chain.SequencesAsync();
        Assert.Equal([1L, 2L, 3L], sequences);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    /// <summary>
    /// The events' INSERT, whose trigger takes the chain's lock, and the COMMIT that releases it travel together: when the portal hears
    /// back, the transaction is committed and the lock free, so no wait of the portal's (a busy thread pool, a collection) lengthens
    /// the hold every writer of every instance queues behind.
    /// </summary>
    [Fact]
    public async Task The_chain_lock_is_free_and_the_unit_committed_when_the_portal_hears_back_from_its_events()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var seen = new SeenAtCommit(chain);
        var teamId = Guid.NewGuid();
        await using (var db = chain.ContextWith(seen))
        {
            await using var unit = await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Team { Id = teamId, Slug = "one-trip", Name = "One trip", CreatedAt = DateTimeOffset.UtcNow });
            db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "team.created", "team", teamId.ToString(), teamId);
            await db.SaveChangesAsync();
            await unit.CommitAsync();
        }

        Assert.Equal((true, 1L, 1L), (seen.LockFree, seen.TeamsCommitted, seen.EventsCommitted));
        var sequences = await chain.SequencesAsync();
        Assert.Equal([1L], sequences);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    /// <summary>The trigger refuses a snapshot older than the lock's grant; the refusal comes back from the commit and undoes the whole unit.</summary>
    [Fact]
    public async Task A_unit_whose_events_the_chain_refuses_at_commit_leaves_nothing_and_the_chain_goes_on()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var teamId = Guid.NewGuid();
        await using (var db = await chain.Factory.CreateDbContextAsync())
        {
            await using var unit = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
            db.Teams.Add(new Team { Id = teamId, Slug = "refused", Name = "Refused", CreatedAt = DateTimeOffset.UtcNow });
            db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "team.created", "team", teamId.ToString(), teamId);
            await db.SaveChangesAsync();
            var refused = await Assert.ThrowsAsync<PostgresException>(() => unit.CommitAsync());
            Assert.Contains("read committed", refused.MessageText);
        }
        await chain.WriteEventsAsync(2);

        await using var read = await chain.Factory.CreateDbContextAsync();
        Assert.False(await read.Teams.AnyAsync(t => t.Id == teamId));
        var sequences = await chain.SequencesAsync();
        Assert.Equal([1L, 2L], sequences);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    /// <summary>More events than one statement takes go in one command with the COMMIT, and join the chain in the order recorded.</summary>
    [Fact]
    public async Task A_unit_with_more_events_than_one_statement_takes_commits_them_all_in_order()
    {
        await using var chain = await AuditChainDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var seen = new SeenAtCommit(chain);
        await using (var db = chain.ContextWith(seen))
        {
            await using var unit = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < 1201; i++)
                db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "asset.updated", "asset", $"event-{i}");
            await db.SaveChangesAsync();
            await unit.CommitAsync();
        }

        Assert.Equal((true, 1201L), (seen.LockFree, seen.EventsCommitted));
        await using var read = await chain.Factory.CreateDbContextAsync();
        var subjects = await read.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.SubjectId).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 1201).Select(i => $"event-{i}"), subjects);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    /// <summary>Runs after the portal's own commit step; asks another session what it sees at that moment.</summary>
    private sealed class SeenAtCommit(AuditChainDatabase chain) : DbTransactionInterceptor
    {
        public bool LockFree { get; private set; }
        public long TeamsCommitted { get; private set; }
        public long EventsCommitted { get; private set; }

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await using var connection = (NpgsqlConnection)chain.RawConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                $"SELECT pg_try_advisory_xact_lock({AuditChain.PostgresLockKey}), (SELECT count(*) FROM teams WHERE \"Slug\" = 'one-trip'), (SELECT count(*) FROM audit_events)",
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (LockFree, TeamsCommitted, EventsCommitted) = (reader.GetBoolean(0), reader.GetInt64(1), reader.GetInt64(2));
            return result;
        }
    }

    private static async Task<bool> SomeoneWaitsForTheChainAsync(AuditChainDatabase chain)
    {
        await using var connection = (NpgsqlConnection)chain.RawConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
