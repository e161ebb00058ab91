using System.Net;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>
/// The portal on PostgreSQL with a pool of a few connections and the nested-lease check off, as in production: only code that
/// never holds one connection while it waits for another keeps answering when more callers come than the pool holds.
/// </summary>
public sealed class SmallPoolPostgresPortal() : PortalApp(DatabaseProvider.PostgreSql)
{
    public const int PoolSize = 6;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A short wait for a connection: a pool emptied by callers that each wait for a second connection fails fast.
        builder.UseSetting("Database:ConnectionString",
            new NpgsqlConnectionStringBuilder(Database.ConnectionString) { MaxPoolSize = PoolSize, Timeout = 5 }.ConnectionString);
        builder.UseSetting("Database:RefuseNestedConnections", "false");
    }
}

public sealed class ConnectionPoolTests(SmallPoolPostgresPortal app) : IClassFixture<SmallPoolPostgresPortal>
{
    [Fact]
    public async Task Five_times_more_token_callers_than_the_pool_holds_are_all_answered()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        const int callers = SmallPoolPostgresPortal.PoolSize * 5;

        // Each call checks the token, then its issuer's roles, then reads the assets: three units of work, one after another.
        var answers = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => client.GetAsync("/api/v1/teams/marketing/assets")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
    }
}
