using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Portal.Core.Audit.Chain;
using Portal.Core.Data;

namespace Portal.Infrastructure.Data;

/// <summary>The one place that turns a provider setting into EF Core options; the design-time factories use it too.</summary>
public static class PortalDatabase
{
    public static string MigrationsAssembly(DatabaseProvider provider) => $"Portal.Migrations.{provider}";

    /// <param name="strictQueries">
    /// Development (and so the tests): a query EF Core warns about fails at once instead of being logged. Its two query-shape warnings
    /// (several collections in one SQL query; a row limit without an order, which returns arbitrary rows) are defects of the query.
    /// </param>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString, bool strictQueries = false)
    {
        var migrations = MigrationsAssembly(provider);
        // First of the transaction interceptors: when SQLite's write queue hands its turn to a waiting writer at a commit, it yields
        // the committer's thread (ADR-014), and measured after it, that wait (16.7 ms a transaction in the lifecycle benchmark at 32
        // clients, against a hold of 1 ms) would count as holding the chain.
        builder.AddInterceptors(ChainHoldInterceptor.Instance);
        _ = provider switch
        {
            DatabaseProvider.Sqlite => SqliteWriteQueue.Use(builder.UseSqlite(connectionString, o => o.MigrationsAssembly(migrations))),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(WithPortalDefaults(connectionString), o => o.MigrationsAssembly(migrations)),
            // No retrying execution strategy: units of work open their own transactions (BeginUnitAsync), which a retrying strategy
            // refuses outright; a transient fault fails the request, which the caller repeats (idempotency keys), as on PostgreSQL.
            DatabaseProvider.SqlServer => builder.UseSqlServer(connectionString, o => o.MigrationsAssembly(migrations)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Database:Provider must be Sqlite, PostgreSql or SqlServer."),
        };
        // The development identity provider keeps its clients and grants in these tables; they are
        // part of every provider's schema so switching Sso:Mode never needs a migration.
        builder.UseOpenIddict();
        builder.AddInterceptors(UniqueViolationInterceptor.Instance);
        // A failed command is logged once, by whoever handles the exception: the exception handler for a
        // 500 (with the correlation id), nobody for a duplicate the service answers with a 409.
        builder.ConfigureWarnings(w => w.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug), (RelationalEventId.CommandError, LogLevel.Debug)));
        // SQLite alters a table by rebuilding it, with foreign keys switched off outside the migration's transaction: the migrations
        // that do so were reviewed when written, and on the embedded default they run on every new data folder, where four warnings
        // at each first start read like a fault to a new user.
        builder.ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Information),
            (SqliteEventId.TableRebuildPendingWarning, LogLevel.Information)));
        if (strictQueries)
            builder.ConfigureWarnings(w => w.Throw(RelationalEventId.MultipleCollectionIncludeWarning, CoreEventId.RowLimitingOperationWithoutOrderByWarning));
        return builder;
    }

    /// <summary>
    /// The portal's own settings for its PostgreSQL connections, each unless the connection string sets it itself:
    /// <list type="bullet">
    /// <item>PostgreSQL parses and plans every statement it is sent unless the statement is prepared; the services send the same
    /// few dozen shapes all day, so Npgsql prepares those used twice on a connection and keeps them across pool leases. Measured
    /// with the lifecycle benchmark: PostgreSQL's own CPU per call fell from 6.3 to 3.7 ms. Behind a pooler that cannot keep
    /// prepared statements, set <c>Max Auto Prepare=0</c>.</item>
    /// <item>A connection given back to the pool is not reset. The reset (the session's settings, locks and listeners, without
    /// the prepared statements) went out with the next lease's first command as three to six statements more: with the
    /// token-check benchmark a lease with <c>SELECT 1</c> cost PostgreSQL 60 µs of CPU with it and 24–28 µs without, the token
    /// check 148 µs and 56–70 µs. Nothing to reset: the portal sets no session state (a setting a unit of work needs is
    /// <c>SET LOCAL</c>, its transaction's), takes only transaction-level advisory locks, and a transaction left open is rolled
    /// back before its connection goes back (by EF Core's context, and by Npgsql for a connection used without it; the context's
    /// case: <c>ContextFactoryTests_PostgreSql.A_unit_of_work_left_uncommitted_leaves_nothing_to_the_next_lease</c>).</item>
    /// <item>At most <see cref="DefaultMaxPoolSize"/> connections: four per core of the portal's machine, at least eight, instead of
    /// Npgsql's 100. Requests beyond it wait for a connection in the pool, in order, and PostgreSQL serves a few transactions at a
    /// time instead of interleaving dozens on the same cores, each waking to find the rows it needs locked by one that is not
    /// running. Measured on 2 cores with 32 clients at once (tests/Portal.Benchmarks/README.md, "the second pool round"): registrations'
    /// p95 and PostgreSQL's CPU per call fell, and the lifecycle's p95. A unit of work holds one connection at a time
    /// (<c>ContextFactoryTests.A_unit_of_work_that_leases_a_second_connection_while_holding_its_first_is_refused</c>), so a small
    /// pool cannot deadlock on itself.</item>
    /// </list>
    /// </summary>
    public static string WithPortalDefaults(string connectionString)
    {
        var settings = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!settings.ContainsKey("Max Auto Prepare") && !settings.ContainsKey("MaxAutoPrepare"))
        {
            settings["Max Auto Prepare"] = 64;
            settings["Auto Prepare Min Usages"] = 2;
        }
        if (!settings.ContainsKey("No Reset On Close") && !settings.ContainsKey("NoResetOnClose"))
            settings["No Reset On Close"] = true;
        if (!settings.ContainsKey("Maximum Pool Size") && !settings.ContainsKey("MaxPoolSize"))
            settings["Maximum Pool Size"] = DefaultMaxPoolSize;
        return settings.ConnectionString;
    }

    public static int DefaultMaxPoolSize => Math.Max(8, 4 * Environment.ProcessorCount);

    public static DbContextOptions<PortalDbContext> Options(DatabaseProvider provider, string connectionString) =>
        (DbContextOptions<PortalDbContext>)Configure(new DbContextOptionsBuilder<PortalDbContext>(), provider, connectionString).Options;
}
