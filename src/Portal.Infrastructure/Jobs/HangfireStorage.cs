using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Jobs;

public static class HangfireStorage
{
    /// <summary>
    /// Hangfire keeps its queues in the portal database on servers; on the embedded SQLite default it
    /// runs in memory, which is safe because durable intent lives in the portal's own tables (DESIGN.md).
    /// The storage is an instance per host, never Hangfire's process-wide default, so two portals in
    /// one process (as in the tests) never share queues.
    /// </summary>
    public static JobStorage Create(DatabaseOptions db) => db.Provider switch
    {
        DatabaseProvider.Sqlite => new InMemoryStorage(),
        DatabaseProvider.PostgreSql => new PostgreSqlStorage(new NpgsqlConnectionFactory(db.ConnectionString, new PostgreSqlStorageOptions { SchemaName = "hangfire" }),
            new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true }),
        DatabaseProvider.SqlServer => new SqlServerStorage(db.ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(db), db.Provider, "Database:Provider must be Sqlite, PostgreSql or SqlServer."),
    };
}
