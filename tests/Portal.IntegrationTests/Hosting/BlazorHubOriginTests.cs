using System.Net;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Another site's page must not open a Blazor circuit in a signed-in person's name.</summary>
public sealed class BlazorHubOriginTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private async Task<HttpStatusCode> SendAsync(string method, string path, string? origin, bool webSocket)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        if (webSocket)
        {
            request.Headers.Add("Connection", "Upgrade");
            request.Headers.Add("Upgrade", "websocket");
            request.Headers.Add("Sec-WebSocket-Version", "13");
            request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        }
        return (await client.SendAsync(request)).StatusCode;
    }

    [Theory]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1", "https://evil.example", false)]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1", "null", false)]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1", "http://localhost.evil.example", false)]
    [InlineData("GET", "/_blazor?id=abc", "https://evil.example", true)]
    public async Task Cross_origin_hub_request_is_refused(string method, string path, string origin, bool webSocket)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(method, path, origin, webSocket));
    }

    [Fact]
    public async Task Same_origin_negotiate_is_not_refused()
    {
        Assert.NotEqual(HttpStatusCode.Forbidden, await SendAsync("POST", "/_blazor/negotiate?negotiateVersion=1", "http://localhost", false));
    }
}
