using Hangfire;
using Hangfire.PostgreSql;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Jobs;

public static class HangfireStorage
{
    /// <summary>
    /// Hangfire keeps its queues in the portal database on servers; on the embedded SQLite default it
    /// runs in memory, which is safe because durable intent lives in the portal's own tables (DESIGN.md).
    /// </summary>
    public static IGlobalConfiguration UsePortalStorage(this IGlobalConfiguration config, DatabaseOptions db) => db.Provider switch
    {
        DatabaseProvider.Sqlite => config.UseInMemoryStorage(),
        DatabaseProvider.PostgreSql => config.UsePostgreSqlStorage(
            o => o.UseNpgsqlConnection(db.ConnectionString),
            new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true }),
        DatabaseProvider.SqlServer => config.UseSqlServerStorage(db.ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(db), db.Provider, "Database:Provider must be Sqlite, PostgreSql or SqlServer."),
    };
}
