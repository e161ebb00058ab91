using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Core.Data;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// Records how long a transaction held the audit chain's lock when the transaction ends, whoever opened it: the lock is released by
/// the commit or rollback, which a unit of work makes itself. On PostgreSQL the lock is taken and released inside the commit. A transaction disposed without either (an early return) is not counted;
/// the next transaction of the context starts unheld.
/// </summary>
public sealed class ChainHoldInterceptor : DbTransactionInterceptor
{
    public static readonly ChainHoldInterceptor Instance = new();

    private ChainHoldInterceptor()
    {
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Unheld(eventData.Context);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Unheld(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Appending(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Appending(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Unheld(DbContext? context)
    {
        if (context is not PortalDbContext db)
            return;
        db.ChainHeldSince = null;
        db.ChainAppendsAtCommit = false;
    }

    /// <summary>On PostgreSQL the commit itself takes the chain's lock and appends the events: its wait for the lock is in this hold.</summary>
    private static void Appending(DbContext? context)
    {
        if (context is PortalDbContext { ChainAppendsAtCommit: true } db)
            db.ChainHeldSince = Stopwatch.GetTimestamp();
    }

    private static void Ended(DbContext? context)
    {
        if (context is not PortalDbContext db)
            return;
        if (db.ChainHeldSince is { } since)
            AuditChainMetrics.RecordHold(since);
        Unheld(db);
    }
}
