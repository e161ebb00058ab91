using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Data;

namespace Portal.Infrastructure.Data;

public static class DatabaseMigrator
{
    public static async Task MigrateAsync(IDbContextFactory<PortalDbContext> dbFactory, DatabaseOptions options, ILogger logger, CancellationToken ct = default)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
            EnsureSqliteFolder(options.ConnectionString);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s) on {Provider}: {Migrations}", pending.Count, options.Provider, pending);
            await db.Database.MigrateAsync(ct);
        }
        await AuditAppendOnly.EnsureAsync(db, ct);
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
    }
}
