using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Portal.Core.Data;

namespace Portal.Infrastructure.Data;

/// <summary>The one place that knows each provider's error codes for a unique-constraint violation.</summary>
public static class DatabaseErrors
{
    // SQLITE_CONSTRAINT (19) with SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT_PRIMARYKEY (1555);
    // PostgreSQL unique_violation (23505); SQL Server duplicate key in a unique index (2601) or constraint (2627).
    public static bool IsUniqueViolation(Exception? exception) => exception switch
    {
        SqliteException e => e.SqliteErrorCode == 19 && e.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        SqlException e => e.Number is 2601 or 2627,
        DbUpdateException e => IsUniqueViolation(e.InnerException),
        _ => false,
    };
}

/// <summary>Turns a provider's unique-constraint error into <see cref="UniqueViolationException"/>; every other failure passes unchanged.</summary>
internal sealed class UniqueViolationInterceptor : SaveChangesInterceptor
{
    public static readonly UniqueViolationInterceptor Instance = new();

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Translate(eventData.Exception);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Translate(eventData.Exception);
        return Task.CompletedTask;
    }

    private static void Translate(Exception exception)
    {
        if (exception is DbUpdateException update and not DbUpdateConcurrencyException and not UniqueViolationException && DatabaseErrors.IsUniqueViolation(update))
            throw new UniqueViolationException(update);
    }
}
