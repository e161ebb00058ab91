using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// The one place where audit events join the chain: every SaveChanges that adds events runs here
/// (see <see cref="PortalDbContext"/>). Inside the save's transaction it takes the chain lock,
/// reads the head, and gives each new event the next sequence and its hash, so writers on several
/// portal instances produce one gap-free chain and a failed save leaves no hole.
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
            await AppendAsync(db, ct);
            return await save(acceptAllChangesOnSuccess, ct);
        }
        // Under a retrying execution strategy (SQL Server) the whole unit is retried, lock and head included.
        var strategy = db.Database.CreateExecutionStrategy();
        var written = await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await AppendAsync(db, token);
            var rows = await save(false, token);
            await transaction.CommitAsync(token);
            return rows;
        }, ct);
        if (acceptAllChangesOnSuccess)
            db.ChangeTracker.AcceptAllChanges();
        return written;
    }

    /// <summary>The chain's lock and head read are asynchronous; blocking on them could deadlock a Blazor circuit.</summary>
    public static InvalidOperationException SynchronousSaveRefused() =>
        new("Audit events are saved with SaveChangesAsync, which appends them to the chain.");

    private static async Task AppendAsync(PortalDbContext db, CancellationToken ct)
    {
        var head = await LockAndReadHeadAsync(db, ct);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditCanonicalForm.GenesisHash.ToArray();
        foreach (var entry in db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).ToList())
        {
            var e = entry.Entity;
            var key = entry.Property(x => x.Sequence);
            key.CurrentValue = ++sequence;
            e.OccurredAt = AuditCanonicalForm.Normalize(e.OccurredAt);
            e.Hash = AuditCanonicalForm.ChainHash(previous, AuditCanonicalForm.Bytes(e));
            previous = e.Hash;
        }
    }

    private sealed record ChainHead(long Sequence, byte[] Hash);

    /// <summary>
    /// Takes the chain lock and reads the head in one round trip: the lock is held from here to the commit, every writer waits
    /// for it, and each round trip inside it lengthens every writer's wait. The two statements still run one after the other,
    /// each with its own snapshot (read committed), so the head read sees every append committed before the lock was granted.
    /// SQLite needs no lock statement: its transactions begin IMMEDIATE, so the write lock is already held and other writers wait.
    /// </summary>
    private static async Task<ChainHead?> LockAndReadHeadAsync(PortalDbContext db, CancellationToken ct)
    {
        const string head = """SELECT "Sequence", "Hash" FROM audit_events ORDER BY "Sequence" DESC LIMIT 1""";
        var (lockSql, headSql, lockReturnsRow) = db.ProviderName switch
        {
            "Npgsql.EntityFrameworkCore.PostgreSQL" => ($"SELECT pg_advisory_xact_lock({PostgresLockKey});", head, true),
            "Microsoft.EntityFrameworkCore.SqlServer" => (
                "EXEC sp_getapplock @Resource = N'portal.audit_chain', @LockMode = N'Exclusive', @LockOwner = N'Transaction';",
                "SELECT TOP (1) [Sequence], [Hash] FROM [audit_events] ORDER BY [Sequence] DESC", false),
            _ => ("", head, false),
        };
        await using var command = db.InTransaction(lockSql + headSql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (lockReturnsRow)
            await reader.NextResultAsync(ct);
        return await reader.ReadAsync(ct) ? new ChainHead(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }
}

/// <summary>
/// Gives each new event a distinct negative placeholder key until the chain assigns its sequence at
/// save time, so one save may record several events (they would otherwise all share the key 0).
/// EF Core allows temporary values only for store-generated keys, so the placeholders are plain values;
/// every save of new events runs through <see cref="AuditChain"/>, which replaces them.
/// </summary>
internal sealed class PendingSequenceGenerator : Microsoft.EntityFrameworkCore.ValueGeneration.ValueGenerator<long>
{
    private static long _next;

    public override bool GeneratesTemporaryValues => false;

    public override long Next(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) => Interlocked.Decrement(ref _next);
}
