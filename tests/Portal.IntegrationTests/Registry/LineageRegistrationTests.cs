using System.Net;
using System.Net.Http.Json;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Registry.RegistryApi;

namespace Portal.IntegrationTests.Registry;

/// <summary>Lineage recorded at registration can never form a cycle; runs on SQLite and PostgreSQL.</summary>
public abstract class LineageRegistrationTests(PortalApp app)
{
    [Fact]
    public async Task A_version_naming_itself_upstream_is_refused_as_a_cycle_and_nothing_is_stored()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = Unique("cyc");
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" })).EnsureSuccessStatusCode();

        var refused = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new
        {
            version = "1.0.0",
            lineage = new[] { new { kind = "FineTunedFrom", team = "MARKETING", asset, version = "1.0.0" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("lineage.cycle", await CodeAsync(refused));
        var versions = await client.GetAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0");
        Assert.Equal(HttpStatusCode.NotFound, versions.StatusCode);
    }

    [Fact]
    public async Task A_later_version_may_come_from_an_earlier_one_of_the_same_asset()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = await RegisterReadyAsync(client, Unique("chain"), "Model", "1.0.0", [1, 2, 3]);

        var next = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new
        {
            version = "1.1.0",
            lineage = new[] { new { kind = "FineTunedFrom", team = "marketing", asset, version = "1.0.0" } },
        });

        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
    }
}

public sealed class LineageRegistrationTests_Sqlite(SqlitePortal app) : LineageRegistrationTests(app), IClassFixture<SqlitePortal>;

public sealed class LineageRegistrationTests_PostgreSql(PostgresPortal app) : LineageRegistrationTests(app), IClassFixture<PostgresPortal>;
