using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Core.Lifecycle;

/// <summary>
/// A new request's number before its row is written. Its audit events and stage history quote the number, so with it known the
/// request, its events and the move it makes are written by one save: one pass through EF Core's save pipeline inside SQLite's
/// single write turn instead of two, one round trip fewer on PostgreSQL.
/// </summary>
internal static class RequestNumbers
{
    /// <summary>Adds the request to the unit of work, numbered. Call it inside the unit's transaction: SQLite's number is read under its write lock.</summary>
    public static async Task AddAsync(PortalDbContext db, TransitionRequest request, CancellationToken ct)
    {
        var reserved = await ReserveAsync(db, ct);
        if (reserved is { } number)
            request.Id = number;
        db.TransitionRequests.Add(request);
        // SQL Server's identity column takes no value from outside: the row is written first to learn its number.
        if (reserved is null)
            await db.SaveChangesAsync(ct);
    }

    private static async Task<long?> ReserveAsync(PortalDbContext db, CancellationToken ct)
    {
        var sql = db.ProviderName switch
        {
            // The transaction holds the file's only write lock, so no other writer can take the same number; an explicit
            // key raises the AUTOINCREMENT counter as a generated one does, so numbers are never reused.
            "Microsoft.EntityFrameworkCore.Sqlite" => "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = @table), 0) + 1",
            // The identity column's own sequence: numbers are unique without a lock and, as with generated keys, a rolled-back request leaves a gap.
            "Npgsql.EntityFrameworkCore.PostgreSQL" => "SELECT nextval(pg_get_serial_sequence(@table, 'Id'))",
            _ => null,
        };
        if (sql is null)
            return null;
        await using var command = db.InTransaction(sql).WithParameter("@table", db.Model.FindEntityType(typeof(TransitionRequest))!.GetTableName()!);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
