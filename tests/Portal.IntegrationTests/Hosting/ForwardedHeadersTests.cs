using System.Net;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

public sealed class NoProxyPortal() : PortalApp(DatabaseProvider.Sqlite, realPort: true, settings: new Dictionary<string, string>
{
    ["Security:RateLimits:ApiPerMinute"] = "2",
});

public sealed class LoopbackProxyPortal() : PortalApp(DatabaseProvider.Sqlite, realPort: true, settings: new Dictionary<string, string>
{
    ["Security:RateLimits:ApiPerMinute"] = "2",
    ["Security:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
});

/// <summary>
/// X-Forwarded-For is believed only from configured proxies. Seen through the anonymous rate-limit budget,
/// which belongs to the client address: a forged header must not buy a fresh budget.
/// </summary>
public sealed class ForwardedHeadersTests(NoProxyPortal unlisted, LoopbackProxyPortal listed) : IClassFixture<NoProxyPortal>, IClassFixture<LoopbackProxyPortal>
{
    private static async Task<List<HttpStatusCode>> AnonymousCallsFromThreeClaimedAddressesAsync(PortalApp app)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) };
        var statuses = new List<HttpStatusCode>();
        foreach (var claimed in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/teams");
            request.Headers.Add("X-Forwarded-For", claimed);
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        return statuses;
    }

    [Fact]
    public async Task Forwarded_for_from_an_unlisted_peer_is_ignored()
    {
        var statuses = await AnonymousCallsFromThreeClaimedAddressesAsync(unlisted);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Forwarded_for_from_a_listed_proxy_is_believed()
    {
        var statuses = await AnonymousCallsFromThreeClaimedAddressesAsync(listed);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }
}
