using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Portal.Testing;

namespace Portal.IntegrationTests.Teams;

internal static class TokenCalls
{
    /// <summary>Reads Marketing with the token: OK, or the refusal's status and problem code.</summary>
    public static async Task<(HttpStatusCode Status, string? Code)> ReadMarketingAsync(PortalApp app, string token)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync("/api/v1/teams/marketing");
        if (response.IsSuccessStatusCode)
            return (response.StatusCode, null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("code").GetString());
    }
}
