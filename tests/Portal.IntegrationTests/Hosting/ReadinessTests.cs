using System.Net;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Portal.Core.Data;
using Portal.Infrastructure.Data;
using Portal.Testing;
using Portal.Web.Hosting;

namespace Portal.IntegrationTests.Hosting;

/// <summary><c>/health/ready</c> says whether the portal's database answers with the portal's schema.</summary>
public abstract class ReadinessTests(PortalApp app)
{
    [Fact]
    public async Task Ready_is_healthy_while_the_portal_schema_answers()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_is_unhealthy_when_the_database_cannot_be_reached()
    {
        var unreachable = app.Database.Provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N"), "missing.db")};Mode=ReadWrite"
            // Nothing listens on port 1: the connection is refused at once.
            : new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;

        var result = await CheckAsync(unreachable);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task Ready_is_unhealthy_on_a_database_without_the_portal_schema()
    {
        // A database that exists and answers, but is not the portal's: an empty SQLite file, PostgreSQL's own database.
        var file = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N") + "-empty.db");
        await File.WriteAllBytesAsync(file, []);
        try
        {
            var empty = app.Database.Provider == DatabaseProvider.Sqlite
                ? $"Data Source={file};Mode=ReadWrite;Pooling=False"
                : new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { Database = "postgres" }.ConnectionString;

            var result = await CheckAsync(empty);

            Assert.Equal(HealthStatus.Unhealthy, result.Status);
            Assert.Contains(app.Database.Provider == DatabaseProvider.Sqlite ? "no such table" : "does not exist", result.Exception?.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<HealthCheckResult> CheckAsync(string connectionString)
    {
        var factory = new PooledDbContextFactory<PortalDbContext>(PortalDatabase.Options(app.Database.Provider, connectionString));
        return await new DatabaseHealthCheck(factory).CheckHealthAsync(new HealthCheckContext());
    }
}

public sealed class ReadinessTests_Sqlite(SqlitePortal app) : ReadinessTests(app), IClassFixture<SqlitePortal>;

public sealed class ReadinessTests_PostgreSql(PostgresPortal app) : ReadinessTests(app), IClassFixture<PostgresPortal>;
