using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Portal.Core.Data;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// The one place where audit events join the chain: every SaveChanges that adds events runs here
/// (see <see cref="PortalDbContext"/>). Inside the save's transaction it takes the chain lock,
/// reads the head, and gives each new event the next sequence and its hash, so writers on several
/// portal instances produce one gap-free chain and a failed save leaves no hole. On PostgreSQL a
/// trigger does that part as the events are inserted (<c>AuditChainNumbering</c>), and the portal inserts
/// a transaction's events with its COMMIT, in one round trip (<see cref="ChainHoldInterceptor"/>), each with its
/// canonical form after the sequence: the lock is held for that INSERT and the COMMIT only, and taken
/// after every row lock of the transaction, so no order of saves can deadlock on it.
/// </summary>
public static class AuditChain
{
    /// <summary>The PostgreSQL advisory lock key for the chain ("AUDITCHN").</summary>
    public const long PostgresLockKey = 0x4155_4449_5443_484E;

    public static bool HasPending(DbContext db) =>
        db.ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added);

    public static async Task<int> SaveAsync(PortalDbContext db, bool acceptAllChangesOnSuccess,
        Func<bool, CancellationToken, Task<int>> save, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var events = await AppendAsync(db, ct);
            return await SaveAsync(db, events, acceptAllChangesOnSuccess, save, ct);
        }
        // Under a retrying execution strategy (none is configured today, ADR-001) the whole unit would be retried, lock and head included.
        var strategy = db.Database.CreateExecutionStrategy();
        var written = await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.BeginUnitAsync(token);
            var events = await AppendAsync(db, token);
            var rows = await SaveAsync(db, events, false, save, token);
            try
            {
                await transaction.CommitAsync(token);
            }
            catch
            {
                Renew(events);
                throw;
            }
            return rows;
        }, ct);
        if (acceptAllChangesOnSuccess)
            db.ChangeTracker.AcceptAllChanges();
        return written;
    }

    /// <summary>The chain's lock and head read are asynchronous; blocking on them could deadlock a Blazor circuit.</summary>
    public static InvalidOperationException SynchronousSaveRefused() =>
        new("Audit events are saved with SaveChangesAsync, which appends them to the chain.");

    /// <summary>On PostgreSQL a transaction's events are written as it commits, which waits for the chain's lock: asynchronously.</summary>
    public static InvalidOperationException SynchronousCommitRefused() =>
        new("A transaction that saved audit events is committed with CommitAsync, which appends them to the chain.");

    /// <summary>Numbers and hashes the new events, in the order they were recorded, or readies them for the commit that will. Returns them.</summary>
    private static async Task<List<EntityEntry<AuditEvent>>> AppendAsync(PortalDbContext db, CancellationToken ct)
    {
        if (NumbersInDatabase(db))
            return ReadyForDatabase(db);
        var asked = Stopwatch.GetTimestamp();
        var head = await LockAndReadHeadAsync(db, ct);
        AuditChainMetrics.RecordWait(asked);
        // Held from the first audited save of the transaction to its end (ChainHoldInterceptor), a unit's later saves included.
        db.ChainHeldSince ??= Stopwatch.GetTimestamp();
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditCanonicalForm.GenesisHash.ToArray();
        var added = Added(db);
        foreach (var entry in added)
        {
            var e = entry.Entity;
            var key = entry.Property(x => x.Sequence);
            key.CurrentValue = ++sequence;
            e.OccurredAt = AuditCanonicalForm.Normalize(e.OccurredAt);
            e.Hash = AuditCanonicalForm.ChainHash(previous, AuditCanonicalForm.Bytes(e));
            previous = e.Hash;
        }
        return added;
    }

    /// <summary>
    /// EF Core's save, with the numbered events in it (SQL Server), after it in one statement (SQLite, <see cref="AuditRows"/>), or kept
    /// for the commit (PostgreSQL). None of them is written or kept by a save that fails; they are new again then, numbered anew if the
    /// save is retried (in a transaction that keeps EF Core's savepoints, or a new one).
    /// </summary>
    private static async Task<int> SaveAsync(PortalDbContext db, List<EntityEntry<AuditEvent>> events, bool acceptAllChangesOnSuccess,
        Func<bool, CancellationToken, Task<int>> save, CancellationToken ct)
    {
        if (!AuditRows.WritesItself(db))
            return await save(acceptAllChangesOnSuccess, ct);
        foreach (var e in events)
        {
            e.State = EntityState.Unchanged;
            // As saved: numbered and hashed since they were added, so the next save's change detection sees nothing to write.
            e.OriginalValues.SetValues(e.CurrentValues);
        }
        try
        {
            var rows = await save(acceptAllChangesOnSuccess, ct);
            if (NumbersInDatabase(db))
                (db.ChainEventsAtCommit ??= []).AddRange(events);
            else
                await AuditRows.InsertAsync(db, events, thenCommit: false, ct);
            return rows + events.Count;
        }
        catch
        {
            Renew(events);
            throw;
        }
    }

    /// <summary>PostgreSQL numbers and hashes events as they are inserted, under the chain's lock (AuditChainNumbering).</summary>
    internal static bool NumbersInDatabase(PortalDbContext db) => db.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Writes the events a PostgreSQL transaction saved and commits it, in one round trip: the INSERT's trigger takes the chain's lock
    /// and the COMMIT right behind it in the same batch releases it, so the lock is held inside PostgreSQL only, never across a wait for
    /// the portal's next statement (on two busy cores that wait was most of the hold, and every writer queued behind it). Returns whether
    /// it committed. A failed INSERT makes PostgreSQL skip the COMMIT and leaves the transaction failed, rolled back when the unit is
    /// disposed; a failed COMMIT ends it rolled back; either way the error comes out of the commit. The hold starts here.
    /// </summary>
    internal static async Task<bool> WriteAndCommitAsync(PortalDbContext db, CancellationToken ct)
    {
        if (db.ChainEventsAtCommit is not { Count: > 0 } events)
            return false;
        db.ChainHeldSince = Stopwatch.GetTimestamp();
        await AuditRows.InsertAsync(db, events, thenCommit: true, ct);
        db.ChainEventsAtCommit = null;
        return true;
    }

    /// <summary>
    /// The events keep their placeholder sequences, which fall in the order they were recorded (<see cref="PendingSequenceGenerator"/>),
    /// and carry their canonical form after the sequence where the hash will be: the database hashes exactly the bytes the verifier will.
    /// </summary>
    private static List<EntityEntry<AuditEvent>> ReadyForDatabase(PortalDbContext db)
    {
        // Written in this order, and numbered in the order they are written.
        var added = Added(db);
        foreach (var entry in added)
        {
            var e = entry.Entity;
            e.OccurredAt = AuditCanonicalForm.Normalize(e.OccurredAt);
            e.Hash = AuditCanonicalForm.AfterSequence(e);
        }
        return added;
    }

    /// <summary>
    /// The new events in the order they were recorded, which the change tracker's own order is not: placeholders fall as events are
    /// recorded (<see cref="PendingSequenceGenerator"/>); events of a failed save that were numbered keep their order, first.
    /// </summary>
    private static List<EntityEntry<AuditEvent>> Added(PortalDbContext db) =>
        db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added)
            .OrderBy(e => e.Entity.Sequence < 0).ThenBy(e => Math.Abs(e.Entity.Sequence)).ToList();

    private static void Renew(List<EntityEntry<AuditEvent>> events) => events.ForEach(e => e.State = EntityState.Added);

    private sealed record ChainHead(long Sequence, byte[] Hash);

    /// <summary>
    /// Takes the chain lock and reads the head in one round trip: the lock is held from here to the commit, every writer waits
    /// for it, and each round trip inside it lengthens every writer's wait. The two statements still run one after the other,
    /// each with its own snapshot (read committed), so the head read sees every append committed before the lock was granted.
    /// SQLite needs no lock statement: its transactions begin IMMEDIATE, so the write lock is already held and other writers wait.
    /// PostgreSQL takes its lock in the trigger that numbers the events instead (<see cref="NumbersInDatabase"/>).
    /// </summary>
    private static async Task<ChainHead?> LockAndReadHeadAsync(PortalDbContext db, CancellationToken ct)
    {
        const string head = """SELECT "Sequence", "Hash" FROM audit_events ORDER BY "Sequence" DESC LIMIT 1""";
        var sql = db.ProviderName == "Microsoft.EntityFrameworkCore.SqlServer"
            ? "EXEC sp_getapplock @Resource = N'portal.audit_chain', @LockMode = N'Exclusive', @LockOwner = N'Transaction';"
                + "SELECT TOP (1) [Sequence], [Hash] FROM [audit_events] ORDER BY [Sequence] DESC"
            : head;
        await using var command = db.InTransaction(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ChainHead(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }
}

/// <summary>
/// Gives each new event a distinct negative placeholder key until the chain assigns its sequence at
/// save time (or, on PostgreSQL, at commit), so one save may record several events (they would otherwise all share the key 0).
/// The placeholders fall as events are recorded: the commit on PostgreSQL numbers a transaction's events in that order.
/// EF Core allows temporary values only for store-generated keys, so the placeholders are plain values;
/// every save of new events runs through <see cref="AuditChain"/>, which replaces them (on PostgreSQL, its trigger does, in the row).
/// </summary>
internal sealed class PendingSequenceGenerator : Microsoft.EntityFrameworkCore.ValueGeneration.ValueGenerator<long>
{
    private static long _next;

    public override bool GeneratesTemporaryValues => false;

    public override long Next(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) => Interlocked.Decrement(ref _next);
}
