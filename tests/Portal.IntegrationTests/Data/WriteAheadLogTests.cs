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
        await AssertFileGrowsAsync(file, before, 6_000_000);
        await AssertRowsAsync(factory, "SELECT count(*) AS \"Value\" FROM wal_test", 600);
    }

    [Fact]
    public async Task The_last_commits_before_a_pause_reach_the_database_file_although_too_few_to_start_a_checkpoint()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        string file;
        await using (var db = await factory.CreateDbContextAsync())
        {
            file = ((SqliteConnection)db.Database.GetDbConnection()).DataSource;
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE wal_tail (data BLOB NOT NULL)");
        }
        var before = new FileInfo(file).Length;

        // Fewer commits than start a run by count (64); 4 MB in all, far below the inline checkpoint's threshold.
        const int commits = 20;
        for (var i = 0; i < commits; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("INSERT INTO wal_tail (data) VALUES (randomblob(200000))");
            await tx.CommitAsync();
        }

        await AssertFileGrowsAsync(file, before, 3_900_000);
        await AssertRowsAsync(factory, "SELECT count(*) AS \"Value\" FROM wal_tail", commits);
    }

    private static async Task AssertFileGrowsAsync(string file, long before, long bytes)
    {
        var grown = 0L;
        for (var wait = 0; wait < 100 && grown < bytes; wait++, await Task.Delay(200))
            grown = new FileInfo(file).Length - before;
        Assert.True(grown >= bytes, $"the database file grew by {grown:N0} bytes, not {bytes:N0}");
    }

    // The tables stay: a dropped table's pages would be reused by the other test, and its file would not grow.
    private static async Task AssertRowsAsync(IDbContextFactory<PortalDbContext> factory, string countQuery, int rows)
    {
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(rows, await db.Database.SqlQueryRaw<int>(countQuery).SingleAsync());
    }
}
