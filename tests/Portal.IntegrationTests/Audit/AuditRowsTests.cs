using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;

namespace Portal.IntegrationTests.Audit;

/// <summary>
/// A save's events are written after the rest of it, on SQLite in one statement of the chain's own (AuditRows), on PostgreSQL by the
/// same statement sent with the COMMIT (its trigger numbers them), on SQL Server in EF Core's batch: either way they read back as
/// recorded, chain, and are written exactly once.
/// </summary>
public sealed class AuditRowsTests
{
    [Theory]
    [MemberData(nameof(AuditChainDatabase.Providers), MemberType = typeof(AuditChainDatabase))]
    public async Task Events_saved_with_other_changes_read_back_as_recorded_and_the_chain_verifies(DatabaseProvider provider)
    {
        await using var chain = await AuditChainDatabase.CreateAsync(provider);
        var teamId = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 12, 6, 5, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var recorded = new List<AuditEvent>();
        await using (var db = await chain.Factory.CreateDbContextAsync())
        {
            db.Teams.Add(new Team { Id = teamId, Slug = "rows", Name = "Rows", CreatedAt = at.ToUniversalTime() });
            recorded.Add(db.Record(Actor.ForUser(Guid.NewGuid(), "Ünïcode Person ✓"), at, "team.created", "team", teamId.ToString(), teamId,
                after: new { Slug = "rows" }));
            recorded.Add(db.Record(Actor.System("rows-test"), at.AddMilliseconds(1), "team.updated", "team", teamId.ToString(), teamId,
                before: new { Name = "Rows" }, after: new { Name = "Rows \"quoted\" 'and' ;-- not SQL" }));
            recorded.Add(db.Record(Actor.Job("rows-job"), at.AddMilliseconds(2), "platform.checked", "platform", "-"));

            Assert.Equal(4, await db.SaveChangesAsync());
            // Saved once: a second save of the same context writes nothing again.
            Assert.Equal(0, await db.SaveChangesAsync());
        }

        await using var read = await chain.Factory.CreateDbContextAsync();
        var stored = await read.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        // In the order recorded; on PostgreSQL the commit numbered and hashed them (AuditChainNumbering), elsewhere the save, in memory too.
        Assert.Equal([1L, 2L, 3L], stored.Select(e => e.Sequence));
        var numberedInMemory = provider != DatabaseProvider.PostgreSql;
        if (numberedInMemory)
            Assert.Equal(recorded.Select(e => e.Sequence), stored.Select(e => e.Sequence));
        foreach (var (expected, actual) in recorded.Zip(stored))
        {
            Assert.Equal(expected.OccurredAt, actual.OccurredAt);
            Assert.Equal((expected.ActorKind, expected.ActorId, expected.ActorName), (actual.ActorKind, actual.ActorId, actual.ActorName));
            Assert.Equal((expected.Action, expected.SubjectType, expected.SubjectId, expected.TeamId), (actual.Action, actual.SubjectType, actual.SubjectId, actual.TeamId));
            Assert.Equal((expected.Before, expected.After), (actual.Before, actual.After));
            Assert.Equal((expected.CorrelationId, expected.ClientAddress), (actual.CorrelationId, actual.ClientAddress));
            if (numberedInMemory)
                Assert.Equal(expected.Hash, actual.Hash);
        }
        Assert.Null(stored[2].TeamId);
        Assert.Null(stored[0].Before);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    /// <summary>More events than one statement takes (500 rows) go in one command of several statements.</summary>
    [Theory]
    [MemberData(nameof(AuditChainDatabase.Providers), MemberType = typeof(AuditChainDatabase))]
    public async Task A_save_of_more_events_than_one_statement_takes_writes_them_all_once_in_order(DatabaseProvider provider)
    {
        await using var chain = await AuditChainDatabase.CreateAsync(provider);
        await using (var db = await chain.Factory.CreateDbContextAsync())
        {
            for (var i = 0; i < 1201; i++)
                db.Record(Actor.System("rows-test"), DateTimeOffset.UtcNow, "asset.updated", "asset", $"event-{i}");
            Assert.Equal(1201, await db.SaveChangesAsync());
        }

        await using var read = await chain.Factory.CreateDbContextAsync();
        var stored = await read.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.SubjectId }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 1201).Select(i => (long)i), stored.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(0, 1201).Select(i => $"event-{i}"), stored.Select(e => e.SubjectId));
        Assert.True((await chain.VerifyAsync()).IsValid);
    }

    [Theory]
    [MemberData(nameof(AuditChainDatabase.Providers), MemberType = typeof(AuditChainDatabase))]
    public async Task A_save_that_fails_in_a_transaction_writes_none_of_its_events_and_its_retry_writes_them_once(DatabaseProvider provider)
    {
        await using var chain = await AuditChainDatabase.CreateAsync(provider);
        await using (var first = await chain.Factory.CreateDbContextAsync())
        {
            first.Teams.Add(new Team { Slug = "taken", Name = "Taken", CreatedAt = DateTimeOffset.UtcNow });
            first.Record(Actor.System("rows-test"), DateTimeOffset.UtcNow, "team.created", "team", "taken");
            await first.SaveChangesAsync();
        }

        await using var db = await chain.Factory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var clash = db.Teams.Add(new Team { Slug = "taken", Name = "Clash", CreatedAt = DateTimeOffset.UtcNow });
        db.Teams.Add(new Team { Slug = "fresh", Name = "Fresh", CreatedAt = DateTimeOffset.UtcNow });
        db.Record(Actor.System("rows-test"), DateTimeOffset.UtcNow, "team.created", "team", "fresh");
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());

        clash.State = EntityState.Detached;
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        await using var read = await chain.Factory.CreateDbContextAsync();
        var subjects = await read.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.SubjectId).ToListAsync();
        var sequences = await chain.SequencesAsync();
        Assert.Equal(["taken", "fresh"], subjects);
        Assert.Equal([1L, 2L], sequences);
        Assert.True((await chain.VerifyAsync()).IsValid);
    }
}
