using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

public abstract class MigrationTests(PortalApp app)
{
    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_demo_teams_are_seeded()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(["finance", "marketing", "risk"], await db.Teams.OrderBy(t => t.Slug).Select(t => t.Slug).ToListAsync());
        Assert.Equal(3, await db.AuditEvents.CountAsync(e => e.Action == "team.created"));
    }

    [Fact]
    public async Task Audit_events_cannot_be_changed_through_the_context()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var first = await db.AuditEvents.OrderBy(e => e.Sequence).FirstAsync();
        first.ActorName = "someone else";

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Versions_registered_before_the_precedence_key_get_it_when_the_portal_next_starts()
    {
        var dbFactory = app.Service<IDbContextFactory<PortalDbContext>>();
        Guid id;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            id = await db.Versions.Where(v => v.Version == "1.1.0").Select(v => v.Id).FirstAsync();
            await db.Versions.Where(v => v.Id == id).ExecuteUpdateAsync(u => u.SetProperty(v => v.SortKey, ""));
        }

        await DatabaseMigrator.MigrateAsync(dbFactory, new DatabaseOptions { Provider = app.Provider, ConnectionString = app.Database.ConnectionString },
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        await using var check = await dbFactory.CreateDbContextAsync();
        Assert.Equal(Portal.Core.Versions.VersionOrder.KeyOf("1.1.0"), await check.Versions.Where(v => v.Id == id).Select(v => v.SortKey).SingleAsync());
        Assert.False(await check.Versions.AnyAsync(v => v.SortKey == ""));
    }

    [Fact]
    public async Task Data_protection_keys_are_kept_in_the_database()
    {
        await app.CreateClient().GetAsync("/dev-idp/login");
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

        Assert.True(await db.DataProtectionKeys.AnyAsync());
    }
}

public sealed class MigrationTests_Sqlite(SqlitePortal app) : MigrationTests(app), IClassFixture<SqlitePortal>;

public sealed class MigrationTests_PostgreSql(PostgresPortal app) : MigrationTests(app), IClassFixture<PostgresPortal>;

/// <summary>The model and each provider's migration set agree: nobody forgot to add a migration.</summary>
public sealed class PendingModelChangesTests
{
    [Theory]
    [MemberData(nameof(ProviderModels.All), MemberType = typeof(ProviderModels))]
    public void Migrations_cover_the_whole_model(DatabaseProvider provider, string connectionString)
    {
        using var db = new PortalDbContext(PortalDatabase.Options(provider, connectionString));

        Assert.False(db.Database.HasPendingModelChanges(), $"Run infra/add-migration.sh: the {provider} migrations lag the model.");
    }
}
