using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>SQLite's write-ahead log is checkpointed beside the writers, not in the commit that crosses a threshold.</summary>
public sealed class WriteAheadLogTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task Committed_pages_reach_the_database_file_although_no_commit_checkpoints_them()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        string file;
        await using (var db = await factory.CreateDbContextAsync())
        {
            file = ((SqliteConnection)db.Database.GetDbConnection()).DataSource;
            await using var pragma = db.Database.GetDbConnection().CreateCommand();
            pragma.CommandText = "PRAGMA wal_autocheckpoint";
            var inline = (long)(await pragma.ExecuteScalarAsync())!;
            // Far above what 600 commits of about seven pages write (4,200 pages): no commit of this test checkpoints inline.
            Assert.True(inline >= 10_000, $"automatic checkpoint at {inline} pages");
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE wal_test (data BLOB NOT NULL)");
        }
        var before = new FileInfo(file).Length;

        for (var i = 0; i < 600; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("INSERT INTO wal_test (data) VALUES (randomblob(12000))");
            await tx.CommitAsync();
        }

        // 7.2 MB of rows: only checkpoints copy them from the log into the database file, the last one perhaps still running.
        var grown = 0L;
        for (var wait = 0; wait < 100 && grown < 6_000_000; wait++, await Task.Delay(200))
            grown = new FileInfo(file).Length - before;
        Assert.True(grown >= 6_000_000, $"the database file grew by {grown:N0} bytes");
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(600, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM wal_test").SingleAsync());
            await db.Database.ExecuteSqlRawAsync("DROP TABLE wal_test");
        }
    }
}
