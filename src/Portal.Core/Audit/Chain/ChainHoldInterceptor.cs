using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Core.Data;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// Records how long a transaction held the audit chain's lock when the transaction ends, whoever opened it: the lock is released by
/// the commit or rollback, which a unit of work makes itself. On PostgreSQL it also writes the transaction's events and commits with
/// them in one round trip (<see cref="AuditChain.WriteAndCommitAsync"/>); the INSERT's trigger takes the lock: the hold starts there. A transaction disposed without either (an early return) is not counted;
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
        if (eventData.Context is PortalDbContext { ChainEventsAtCommit.Count: > 0 })
            throw AuditChain.SynchronousCommitRefused();
        return result;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        // Committed with the events (PostgreSQL): the transaction's own COMMIT would find nothing left to commit. An interceptor after
        // this one sees a committed transaction and must not refuse it (the portal registers none: this one is first, PortalDatabase).
        if (eventData.Context is PortalDbContext db && await AuditChain.WriteAndCommitAsync(db, cancellationToken))
            return InterceptionResult.Suppress();
        return result;
    }

    /// <summary>A transaction the context is handed (UseTransaction) starts with none of this context's events.</summary>
    public override DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        Unheld(eventData.Context);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionUsedAsync(DbConnection connection, TransactionEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Unheld(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void CreatedSavepoint(DbTransaction transaction, TransactionEventData eventData) => Marked(eventData);

    public override Task CreatedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        Marked(eventData);
        return Task.CompletedTask;
    }

    public override void ReleasedSavepoint(DbTransaction transaction, TransactionEventData eventData) => Released(eventData);

    public override Task ReleasedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        Released(eventData);
        return Task.CompletedTask;
    }

    public override void RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => Undone(eventData);

    public override Task RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        Undone(eventData);
        return Task.CompletedTask;
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
        db.ChainEventsAtCommit = null;
        db.ChainSavepoints = null;
    }

    private static void Ended(DbContext? context)
    {
        if (context is PortalDbContext { ChainHeldSince: { } since })
            AuditChainMetrics.RecordHold(since);
        Unheld(context);
    }

    /// <summary>How many events the transaction kept for its commit when a savepoint is made (PostgreSQL).</summary>
    private static void Marked(TransactionEventData eventData)
    {
        if (eventData.Context is PortalDbContext db)
            (db.ChainSavepoints ??= new()).Push(db.ChainEventsAtCommit?.Count ?? 0);
    }

    private static void Released(TransactionEventData eventData)
    {
        if (eventData.Context is PortalDbContext { ChainSavepoints.Count: > 0 } db)
            db.ChainSavepoints.Pop();
    }

    /// <summary>A rollback to the savepoint undoes the saves after it, and so the events they kept for the commit; the savepoint stays.</summary>
    private static void Undone(TransactionEventData eventData)
    {
        if (eventData.Context is PortalDbContext { ChainEventsAtCommit: { } events, ChainSavepoints: { Count: > 0 } marks } && marks.Peek() < events.Count)
            events.RemoveRange(marks.Peek(), events.Count - marks.Peek());
    }
}
