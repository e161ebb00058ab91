using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit.Chain;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>
/// Someone with the database's own credentials edits the log through a raw connection: the portal's
/// verification and the command-line verifier both name the first bad sequence, with the same message.
/// The chain holds 20 events with signed checkpoints at 10 and 20.
/// </summary>
public abstract class AuditTamperTests(DatabaseProvider provider) : IAsyncLifetime
{
    private AuditChainDatabase _chain = null!;

    public async ValueTask InitializeAsync()
    {
        _chain = await AuditChainDatabase.CreateAsync(provider);
        await _chain.WriteEventsAsync(10);
        Assert.NotNull(await _chain.Trail.SignCheckpointAsync(CancellationToken.None));
        await _chain.WriteEventsAsync(10);
        Assert.NotNull(await _chain.Trail.SignCheckpointAsync(CancellationToken.None));
    }

    public ValueTask DisposeAsync() => _chain.DisposeAsync();

    private async Task AssertDetectedAsync(long firstBad, string mentions)
    {
        // The command line first: the portal's verification records its outcome, which appends an event.
        var (exit, _, error) = await _chain.RunVerifierAsync();
        var result = await _chain.VerifyAsync();
        Assert.False(result.IsValid);
        Assert.Equal(firstBad, result.FirstBadSequence);
        Assert.Contains(mentions, result.Message);
        Assert.Equal(1, exit);
        Assert.Equal(result.Message, error);
    }

    [Fact]
    public async Task The_untouched_chain_verifies_in_the_portal_and_on_the_command_line()
    {
        var result = await _chain.VerifyAsync();
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(2, result.CheckpointsChecked);
        var (exit, output, _) = await _chain.RunVerifierAsync();
        Assert.Equal(0, exit);
        Assert.Contains("intact", output);
    }

    [Fact]
    public async Task The_portals_own_connection_cannot_update_delete_or_truncate_events()
    {
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _chain.RawAsync("""UPDATE audit_events SET "ActorName" = 'x' WHERE "Sequence" = 3"""));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _chain.RawAsync("""DELETE FROM audit_events WHERE "Sequence" = 3"""));
        if (provider == DatabaseProvider.PostgreSql)
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _chain.RawAsync("TRUNCATE audit_events"));
        if (provider == DatabaseProvider.Sqlite)
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _chain.RawAsync("""INSERT OR REPLACE INTO audit_events SELECT * FROM audit_events WHERE "Sequence" = 3"""));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), await _chain.SequencesAsync());
        Assert.True((await _chain.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task An_updated_field_is_named()
    {
        await _chain.DisableTriggersAsync();
        await _chain.RawAsync("""UPDATE audit_events SET "ActorName" = 'Mallory' WHERE "Sequence" = 12""");
        await AssertDetectedAsync(12, "Sequence 12");
    }

    [Fact]
    public async Task A_stored_value_outside_its_type_breaks_the_chain_there_instead_of_stopping_the_verification()
    {
        await _chain.DisableTriggersAsync();
        await _chain.RawAsync("""UPDATE audit_events SET "ActorKind" = 'Bogus' WHERE "Sequence" = 12""");

        var result = await _chain.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Equal(12, result.FirstBadSequence);
        Assert.Contains("cannot be read", result.Message);
    }

    [Fact]
    public async Task A_deleted_middle_row_is_named()
    {
        await _chain.DisableTriggersAsync();
        await _chain.RawAsync("""DELETE FROM audit_events WHERE "Sequence" = 7""");
        await AssertDetectedAsync(7, "Sequence 7 is missing");
    }

    [Fact]
    public async Task Deleted_last_rows_are_named_by_the_checkpoint_that_covered_them()
    {
        await _chain.DisableTriggersAsync();
        await _chain.RawAsync("""DELETE FROM audit_events WHERE "Sequence" > 15""");
        await AssertDetectedAsync(16, "deleted from the end");
    }

    [Fact]
    public async Task An_inserted_row_is_named()
    {
        await _chain.DisableTriggersAsync();
        // Make room at 9 by moving every later event up one, then slip a forged event in.
        await _chain.RawAsync("""UPDATE audit_events SET "Sequence" = "Sequence" + 1000 WHERE "Sequence" >= 9""");
        await _chain.RawAsync("""UPDATE audit_events SET "Sequence" = "Sequence" - 999 WHERE "Sequence" >= 1009""");
        await _chain.RawAsync("""
            INSERT INTO audit_events ("Sequence", "OccurredAt", "ActorKind", "ActorId", "ActorName", "Action", "SubjectType", "SubjectId", "TeamId",
                "Before", "After", "CorrelationId", "ClientAddress", "Hash")
            SELECT 9, "OccurredAt", "ActorKind", "ActorId", 'Mallory', "Action", "SubjectType", "SubjectId", "TeamId", "Before", "After",
                "CorrelationId", "ClientAddress", "Hash" FROM audit_events WHERE "Sequence" = 10
            """);
        await AssertDetectedAsync(9, "Sequence 9");
    }

    [Fact]
    public async Task Two_swapped_rows_are_named_at_the_first()
    {
        await _chain.DisableTriggersAsync();
        await _chain.RawAsync("""UPDATE audit_events SET "Sequence" = -5 WHERE "Sequence" = 5""");
        await _chain.RawAsync("""UPDATE audit_events SET "Sequence" = 5 WHERE "Sequence" = 13""");
        await _chain.RawAsync("""UPDATE audit_events SET "Sequence" = 13 WHERE "Sequence" = -5""");
        await AssertDetectedAsync(5, "Sequence 5");
    }

    [Fact]
    public async Task A_chain_rewritten_after_a_checkpoint_is_named_from_the_last_checkpoint_it_still_matches()
    {
        await _chain.DisableTriggersAsync();
        // The forger edits event 14 and recomputes every later hash, so the chain is consistent in itself.
        await _chain.RawAsync("""UPDATE audit_events SET "After" = '{"step":"forged"}' WHERE "Sequence" = 14""");
        await using (var db = await _chain.Factory.CreateDbContextAsync())
        {
            var events = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            var previous = events[12].Hash;
            foreach (var e in events.Skip(13))
            {
                e.Hash = AuditCanonicalForm.ChainHash(previous, AuditCanonicalForm.Bytes(e));
                previous = e.Hash;
                await _chain.RawAsync($"""UPDATE audit_events SET "Hash" = @hash WHERE "Sequence" = {e.Sequence}""", ("@hash", e.Hash));
            }
        }
        await AssertDetectedAsync(11, "rewritten");
    }
}

public sealed class AuditTamperTests_Sqlite() : AuditTamperTests(DatabaseProvider.Sqlite);

public sealed class AuditTamperTests_PostgreSql() : AuditTamperTests(DatabaseProvider.PostgreSql);
