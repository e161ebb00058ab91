using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>Every open of a SQLite connection runs with the portal's settings, also when the driver's pool hands back one used before.</summary>
public sealed class SqliteConnectionSettingsTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task A_connection_reused_from_the_pool_keeps_the_writer_settings()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        var handles = new List<SQLitePCL.sqlite3>();
        for (var open = 0; open < 3; open++)
        {
            await using var db = await factory.CreateDbContextAsync();
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
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = 0;

        var seen = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var busyTimeout = await PragmaAsync(connection, "busy_timeout");
            // Each holds its connection until all are open, so the pool must hand out as many different ones.
            if (Interlocked.Increment(ref open) == callers)
                allOpen.SetResult();
            await allOpen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return (Handle: connection.Handle!, BusyTimeout: busyTimeout);
        })));

        Assert.Equal(callers, seen.Select(s => s.Handle).Distinct().Count());
        Assert.All(seen, s => Assert.Equal(5000L, s.BusyTimeout));
    }

    private static async Task<long> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
