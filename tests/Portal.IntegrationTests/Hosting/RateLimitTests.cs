using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

public sealed class TightlyLimitedPortal() : PortalApp(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
{
    ["Security:RateLimits:ApiPerMinute"] = "3",
    ["Security:RateLimits:SignInPerMinute"] = "2",
});

/// <summary>Budgets follow the authenticated principal or the client address, never the spelling of a header.</summary>
public sealed class RateLimitTests(TightlyLimitedPortal app) : IClassFixture<TightlyLimitedPortal>
{
    private async Task<HttpStatusCode> CallAsync(HttpClient client, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/teams");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Spellings_of_one_token_share_one_budget()
    {
        var token = await app.IssueTokenAsync("marketing", TeamRole.Viewer);
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var spelling in new[] { "Bearer ", "bearer ", "Bearer  ", "BEARER " })
            statuses.Add(await CallAsync(client, spelling + token));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Made_up_tokens_share_the_budget_of_their_address_and_the_refusal_is_a_problem()
    {
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            statuses.Add(await CallAsync(client, $"Bearer ptk_made-up-{i}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/teams");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ptk_made-up-4");
        var limited = await client.SendAsync(request);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("request.rate-limited", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Sign_in_endpoints_are_limited_per_address()
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var failedPage = await client.GetAsync("/account/sign-in-failed");
        var idpPage = await client.GetAsync("/dev-idp/login");
        var limited = await client.GetAsync("/account/sign-in");
        var limitedIdp = await client.GetAsync("/connect/authorize");

        Assert.Equal(HttpStatusCode.OK, failedPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, idpPage.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedIdp.StatusCode);
    }
}
