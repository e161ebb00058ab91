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
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.OpenConnectionAsync(ct);
            await SqliteWriteQueue.UseWriteAheadLogAsync(db.Database.GetDbConnection(), ct);
            await db.Database.CloseConnectionAsync();
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s) on {Provider}: {Migrations}", pending.Count, options.Provider, pending);
            await db.Database.MigrateAsync(ct);
        }
        await AuditAppendOnly.EnsureAsync(db, ct);
        await FillVersionSortKeysAsync(db, logger, ct);
    }

    /// <summary>
    /// Versions registered before the precedence key existed get theirs once, here: the key is derived
    /// from the version text alone, so this changes no fact and records no audit event.
    /// </summary>
    private static async Task FillVersionSortKeysAsync(PortalDbContext db, ILogger logger, CancellationToken ct)
    {
        var missing = await db.Versions.AsNoTracking().Where(v => v.SortKey == "").Select(v => new { v.Id, v.Version }).ToListAsync(ct);
        var filled = 0;
        foreach (var row in missing)
        {
            var key = Portal.Core.Versions.VersionOrder.KeyOf(row.Version);
            if (key.Length == 0)
                continue;
            filled += await db.Versions.Where(v => v.Id == row.Id).ExecuteUpdateAsync(u => u.SetProperty(v => v.SortKey, key), ct);
        }
        if (filled > 0)
            logger.LogInformation("Gave {Count} version(s) their SemVer precedence key", filled);
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
    }
}
