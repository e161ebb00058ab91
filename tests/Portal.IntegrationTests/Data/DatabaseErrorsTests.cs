using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.IntegrationTests.Hosting;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>Each provider's unique-constraint error is told apart from every other database failure.</summary>
public abstract class DatabaseErrorsTests(PortalApp app)
{
    [Fact]
    public async Task A_duplicate_is_a_unique_violation()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.Teams.Add(new Team { Slug = "marketing", Name = "Second marketing" });

        var error = await Assert.ThrowsAsync<UniqueViolationException>(() => db.SaveChangesAsync());

        Assert.True(DatabaseErrors.IsUniqueViolation(error.InnerException));
    }

    [Fact]
    public async Task A_foreign_key_violation_is_not_a_unique_violation()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.TeamMemberships.Add(new TeamMembership
        {
            TeamId = Guid.NewGuid(), UserId = Guid.NewGuid(), Role = TeamRole.Viewer, Source = MembershipSource.LocalGrant, SourceDetail = "test",
        });

        var error = await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.IsNotType<UniqueViolationException>(error);
        Assert.False(DatabaseErrors.IsUniqueViolation(error));
    }
}

public sealed class DatabaseErrorsTests_Sqlite(SqlitePortal app) : DatabaseErrorsTests(app), IClassFixture<SqlitePortal>;

public sealed class DatabaseErrorsTests_PostgreSql(PostgresPortal app) : DatabaseErrorsTests(app), IClassFixture<PostgresPortal>;

/// <summary>The portal with a database that refuses assets named <c>orphan-…</c> with a foreign-key violation, not a duplicate.</summary>
public sealed class ForeignKeyFailingPortal : FileLoggingPortal
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(new OrphanAssets())));
    }

    private sealed class OrphanAssets : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            foreach (var entry in eventData.Context!.ChangeTracker.Entries<Asset>().Where(e => e.State == EntityState.Added && e.Entity.Name.StartsWith("orphan-", StringComparison.Ordinal)))
                entry.Entity.TeamId = Guid.NewGuid();
            return ValueTask.FromResult(result);
        }
    }
}

public sealed class DatabaseFailureResponseTests(ForeignKeyFailingPortal app) : IClassFixture<ForeignKeyFailingPortal>
{
    [Fact]
    public async Task A_database_failure_that_is_not_a_duplicate_is_a_500_with_a_correlation_id_logged_once()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);

        var response = await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = "orphan-" + Guid.NewGuid().ToString("N")[..8], kind = "Model" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("server.error", problem.RootElement.GetProperty("code").GetString());
        var correlationId = problem.RootElement.GetProperty("correlationId").GetString()!;
        Assert.Equal(correlationId, response.Headers.GetValues("X-Correlation-Id").Single());
        var entries = (await app.LinesAsync("portal.json", correlationId))
            .Where(l => l.Contains(correlationId, StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Single(entries, e => e.TryGetProperty("@x", out _));
    }
}
