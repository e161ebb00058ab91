using System.Data;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Infrastructure.Data;
using Portal.IntegrationTests.Hosting;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>A unit of work opens its connection once, when its context is leased, and gives it back when the context is disposed.</summary>
public abstract class ContextFactoryTests(PortalApp app)
{
    protected PortalApp App => app;

    [Fact]
    public async Task A_leased_context_has_its_connection_open_and_a_returned_one_has_it_closed()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        System.Data.Common.DbConnection connection;
        await using (var db = await factory.CreateDbContextAsync())
        {
            connection = db.Database.GetDbConnection();
            Assert.Equal(ConnectionState.Open, db.Database.GetDbConnection().State);
            Assert.True(await db.Teams.AnyAsync());
            Assert.Equal(ConnectionState.Open, db.Database.GetDbConnection().State);
        }

        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task Many_units_of_work_in_a_row_hold_no_connections_after_they_end()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        var connections = new List<System.Data.Common.DbConnection>();
        // More than a PostgreSQL pool holds (100): contexts that kept their connections would exhaust it here.
        for (var i = 0; i < 150; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Teams.CountAsync();
            connections.Add(db.Database.GetDbConnection());
        }

        Assert.All(connections, connection => Assert.Equal(ConnectionState.Closed, connection.State));
    }

    [Fact]
    public async Task A_transaction_left_without_commit_frees_the_writer_for_the_same_context_and_for_others()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await using (await db.Database.BeginTransactionAsync())
            await db.Teams.CountAsync();

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using (var again = await db.Database.BeginTransactionAsync(limit.Token))
            await again.CommitAsync(limit.Token);
        await using var other = await factory.AnotherCallersContextAsync(limit.Token);
        await using (var tx = await other.Database.BeginTransactionAsync(limit.Token))
            await tx.CommitAsync(limit.Token);
    }

    [Fact]
    public async Task A_unit_of_work_that_leases_a_second_connection_while_holding_its_first_is_refused()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.CreateDbContextAsync());
            Assert.Contains("second database connection", refused.Message);
            // So is code it calls, which inherits the open lease, and the synchronous lease.
            await Assert.ThrowsAsync<InvalidOperationException>(() => CountTeamsAsync(factory));
            Assert.Throws<InvalidOperationException>(() => factory.CreateDbContext());
            Assert.True(await db.Teams.AnyAsync());
        }

        // Once the first is given back, the same flow and the code it calls lease again.
        Assert.True(await CountTeamsAsync(factory) > 0);
        await using var next = await factory.CreateDbContextAsync();
        Assert.True(await next.Teams.AnyAsync());
    }

    private static async Task<int> CountTeamsAsync(IDbContextFactory<PortalDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Teams.CountAsync();
    }

    [Fact]
    public void A_context_leased_without_await_is_open_too()
    {
        using var db = app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContext();

        Assert.Equal(ConnectionState.Open, db.Database.GetDbConnection().State);
    }
}

public sealed class ContextFactoryTests_Sqlite(SqlitePortal app) : ContextFactoryTests(app), IClassFixture<SqlitePortal>
{
    /// <summary>SQLite has one writer per file, which this process queues; PostgreSQL lets both transactions run.</summary>
    [Fact]
    public async Task A_committed_transaction_disposed_late_does_not_free_the_writer_of_the_next_one()
    {
        var factory = App.Service<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var first = await db.Database.BeginTransactionAsync();
        await first.CommitAsync();
        await using var second = await db.Database.BeginTransactionAsync();
        await first.DisposeAsync();

        await using var other = await factory.AnotherCallersContextAsync();
        var waiting = other.Database.BeginTransactionAsync();
        await Task.Delay(300);
        var waitedForTheSecond = !waiting.IsCompleted;
        await second.CommitAsync();
        await using var third = await waiting;

        Assert.True(waitedForTheSecond);
    }
}

public sealed class ContextFactoryTests_PostgreSql(PostgresPortal app) : ContextFactoryTests(app), IClassFixture<PostgresPortal>
{
    [Fact]
    public async Task A_statement_sent_again_on_a_connection_is_prepared_and_survives_the_next_lease()
    {
        var factory = App.Service<IDbContextFactory<PortalDbContext>>();
        var slug = "finance";
        // Npgsql hands out idle connections in the order they came back, so one after another the leases go round every
        // connection the pool holds (another test of this class fills it): twice round, and the statement is prepared on each.
        for (var i = 0; i < 2 * PortalDatabase.DefaultMaxPoolSize + 1; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Teams.Where(t => t.Slug == slug).Select(t => t.Id).SingleOrDefaultAsync();
        }

        await using var check = await factory.CreateDbContextAsync();
        await check.Teams.Where(t => t.Slug == slug).Select(t => t.Id).SingleOrDefaultAsync();
        var prepared = await check.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();

        Assert.Contains(prepared, statement => statement.Contains("teams", StringComparison.Ordinal));
    }

    /// <summary>
    /// Connections go back to the pool without Npgsql's reset (<see cref="PortalDatabase.WithPortalDefaults"/>): a unit of work that
    /// ends without its commit must still leave nothing for the next lease, which would otherwise commit the abandoned writes with its own.
    /// </summary>
    [Fact]
    public async Task A_unit_of_work_left_uncommitted_leaves_nothing_to_the_next_lease()
    {
        var factory = App.Service<IDbContextFactory<PortalDbContext>>();
        var abandoned = $"abandoned-{Guid.NewGuid():N}"[..24];
        var kept = $"kept-{Guid.NewGuid():N}"[..24];
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Portal.Core.Teams.Team { Slug = abandoned, Name = abandoned });
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Portal.Core.Teams.Team { Slug = kept, Name = kept });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await using var check = await factory.CreateDbContextAsync();
        var found = await check.Teams.Where(t => t.Slug == abandoned || t.Slug == kept).Select(t => t.Slug).ToListAsync();
        Assert.Equal([kept], found);
    }

    /// <summary>
    /// The portal's pool holds <see cref="PortalDatabase.DefaultMaxPoolSize"/> connections (<see cref="PortalDatabase.WithPortalDefaults"/>):
    /// a unit of work beyond them waits for one to come back instead of opening another or failing.
    /// </summary>
    [Fact]
    public async Task A_unit_of_work_beyond_the_pool_waits_for_a_connection_to_come_back()
    {
        var factory = App.Service<IDbContextFactory<PortalDbContext>>();
        // Each lease in a flow of its own: one flow holding two would be refused (a unit of work holds one connection at a time).
        Task<PortalDbContext> Lease()
        {
            using (ExecutionContext.SuppressFlow())
                return Task.Run(() => factory.CreateDbContextAsync());
        }
        var held = (await Task.WhenAll(Enumerable.Range(0, PortalDatabase.DefaultMaxPoolSize).Select(_ => Lease()))).ToList();
        var waiting = Lease();
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(waiting.IsCompleted);
            await held[0].DisposeAsync();
            held.RemoveAt(0);
            var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(await next.Teams.AnyAsync());
        }
        finally
        {
            // Every lease goes back, the late one too, whatever failed: the class's other tests share this pool.
            foreach (var db in held)
                await db.DisposeAsync();
            if (await waiting.WaitAsync(TimeSpan.FromSeconds(10)) is { } late)
                await late.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Host=db", null)]
    [InlineData("Host=db;Maximum Pool Size=50", 50)]
    [InlineData("Host=db;MaxPoolSize=50", 50)]
    public void A_connection_string_that_sizes_the_pool_itself_keeps_its_size(string connectionString, int? expected)
    {
        var pool = new Npgsql.NpgsqlConnectionStringBuilder(PortalDatabase.WithPortalDefaults(connectionString)).MaxPoolSize;

        Assert.Equal(expected ?? PortalDatabase.DefaultMaxPoolSize, pool);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", "0")]
    [InlineData("Host=db;MaxAutoPrepare=10", "10")]
    public void A_connection_string_that_sets_preparation_itself_keeps_it(string connectionString, string expected)
    {
        var kept = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = PortalDatabase.WithPortalDefaults(connectionString) };

        Assert.Equal(expected, kept.TryGetValue("Max Auto Prepare", out var a) ? a : kept["MaxAutoPrepare"]);
        Assert.Equal("True", kept["No Reset On Close"].ToString());
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;NoResetOnClose=false")]
    public void A_connection_string_that_asks_for_the_reset_keeps_it(string connectionString)
    {
        var kept = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = PortalDatabase.WithPortalDefaults(connectionString) };

        Assert.Equal("false", (kept.TryGetValue("No Reset On Close", out var a) ? a : kept["NoResetOnClose"]).ToString());
        Assert.Equal("64", kept["Max Auto Prepare"].ToString());
    }
}
