using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>Every open of a SQLite connection runs with the portal's settings, also when the driver's pool hands back one used before.</summary>
public sealed class SqliteConnectionSettingsTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task A_connection_reused_from_the_pool_keeps_the_writer_settings()
    {
        var options = OwnPool(41);
        var handles = new List<SQLitePCL.sqlite3>();
        for (var open = 0; open < 3; open++)
        {
            await using var db = new PortalDbContext(options);
            await db.Database.OpenConnectionAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            handles.Add(connection.Handle!);

            Assert.Equal(1L, await PragmaAsync(connection, "synchronous"));
            Assert.Equal(5000L, await PragmaAsync(connection, "busy_timeout"));
            Assert.Equal(16_000L, await PragmaAsync(connection, "wal_autocheckpoint"));
        }

        // The same database connection each time: the pool reused it, so the later opens are the ones that made no settings of their own.
        Assert.Single(handles.Distinct());
    }

    [Fact]
    public async Task Connections_open_at_once_each_have_the_writer_settings()
    {
        const int callers = 4;
        var options = OwnPool(42);
        var contexts = Enumerable.Range(0, callers).Select(_ => new PortalDbContext(options)).ToList();
        try
        {
            foreach (var db in contexts)
                await db.Database.OpenConnectionAsync();
            var connections = contexts.Select(c => (SqliteConnection)c.Database.GetDbConnection()).ToList();

            Assert.Equal(callers, connections.Select(c => c.Handle).Distinct().Count());
            foreach (var connection in connections)
                Assert.Equal(5000L, await PragmaAsync(connection, "busy_timeout"));
        }
        finally
        {
            foreach (var db in contexts)
                await db.DisposeAsync();
        }
    }

    /// <summary>
    /// The portal's database under a connection string of the test's own (the driver pools by connection string, and the timeout
    /// changes nothing the test reads): a pool nothing else leases from meanwhile.
    /// </summary>
    private DbContextOptions<PortalDbContext> OwnPool(int timeoutSeconds) =>
        PortalDatabase.Options(DatabaseProvider.Sqlite, $"{app.Database.ConnectionString};Default Timeout={timeoutSeconds}");

    private static async Task<long> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
