using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Registry;

/// <summary>An Idempotency-Key belongs to one principal in one team: nobody else's request is replayed or blocked by it.</summary>
public abstract class IdempotencyScopeTests(PortalApp app)
{
    private static HttpRequestMessage Create(string name, string key) => new(HttpMethod.Post, "/api/v1/teams/marketing/assets")
    {
        Content = JsonContent.Create(new { name, kind = "Model" }),
        Headers = { { "Idempotency-Key", key } },
    };

    [Fact]
    public async Task Two_tokens_with_the_same_idempotency_key_each_create_their_own_asset()
    {
        var first = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var second = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var key = "nightly-" + Guid.NewGuid().ToString("N");
        var (a, b) = ("idem-a-" + key[8..16], "idem-b-" + key[8..16]);

        var fromFirst = await first.SendAsync(Create(a, key));
        var fromSecond = await second.SendAsync(Create(b, key));
        var firstAgain = await first.SendAsync(Create(a, key));

        Assert.Equal(HttpStatusCode.Created, fromFirst.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromSecond.StatusCode);
        Assert.Equal(b, (await fromSecond.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Created, firstAgain.StatusCode);
        Assert.Equal(a, (await firstAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task One_person_using_the_same_idempotency_key_in_two_teams_creates_an_asset_in_each()
    {
        var person = await app.SignInAsync("idem-" + Guid.NewGuid().ToString("N")[..8], "Two Teams", "marketing-contributors", "finance-contributors");
        var caller = await app.CallerAsync(person);
        var input = new AssetInput("shared-name-" + Guid.NewGuid().ToString("N")[..6], AssetKind.Model, "", null, null);

        var inMarketing = await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.CreateAsync(caller, "marketing", input, "run-1"));
        var inFinance = await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.CreateAsync(caller, "finance", input, "run-1"));

        Assert.Equal("marketing", inMarketing.Value.Team);
        Assert.Equal("finance", inFinance.Value.Team);
        Assert.NotEqual(inMarketing.Value.Id, inFinance.Value.Id);
    }
}

public sealed class IdempotencyScopeTests_Sqlite(SqlitePortal app) : IdempotencyScopeTests(app), IClassFixture<SqlitePortal>;

public sealed class IdempotencyScopeTests_PostgreSql(PostgresPortal app) : IdempotencyScopeTests(app), IClassFixture<PostgresPortal>;
