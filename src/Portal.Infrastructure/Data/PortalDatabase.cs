using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Portal.Core.Data;

namespace Portal.Infrastructure.Data;

/// <summary>The one place that turns a provider setting into EF Core options; the design-time factories use it too.</summary>
public static class PortalDatabase
{
    public static string MigrationsAssembly(DatabaseProvider provider) => $"Portal.Migrations.{provider}";

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        var migrations = MigrationsAssembly(provider);
        _ = provider switch
        {
            DatabaseProvider.Sqlite => SqliteWriteQueue.Use(builder.UseSqlite(connectionString, o => o.MigrationsAssembly(migrations))),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(migrations)),
            DatabaseProvider.SqlServer => builder.UseSqlServer(connectionString, o => o.MigrationsAssembly(migrations).EnableRetryOnFailure()),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Database:Provider must be Sqlite, PostgreSql or SqlServer."),
        };
        // The development identity provider keeps its clients and grants in these tables; they are
        // part of every provider's schema so switching Sso:Mode never needs a migration.
        builder.UseOpenIddict();
        builder.AddInterceptors(UniqueViolationInterceptor.Instance);
        // A failed command is logged once, by whoever handles the exception: the exception handler for a
        // 500 (with the correlation id), nobody for a duplicate the service answers with a 409.
        builder.ConfigureWarnings(w => w.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug), (RelationalEventId.CommandError, LogLevel.Debug)));
        return builder;
    }

    public static DbContextOptions<PortalDbContext> Options(DatabaseProvider provider, string connectionString) =>
        (DbContextOptions<PortalDbContext>)Configure(new DbContextOptionsBuilder<PortalDbContext>(), provider, connectionString).Options;
}
