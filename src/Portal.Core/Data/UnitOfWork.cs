using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Core.Data;

internal static class UnitOfWork
{
    /// <summary>
    /// Begins a unit of work's transaction, which is abandoned whole (disposed uncommitted) when a save in it fails. EF Core would
    /// otherwise bracket every save inside it with a savepoint, so that a failed save could be retried in the same transaction,
    /// which a unit never does: two statements per save for nothing (on SQLite inside its one write turn).
    /// </summary>
    public static async Task<IDbContextTransaction> BeginUnitAsync(this PortalDbContext db, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Database.AutoSavepointsEnabled = false;
        return transaction;
    }
}
