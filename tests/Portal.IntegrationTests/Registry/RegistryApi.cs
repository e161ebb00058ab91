using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Registry;

/// <summary>What the registry API tests do the same way: unique names, problem codes, uploads, a ready version.</summary>
internal static class RegistryApi
{
    /// <summary>How the API writes JSON (web names, enums as text), for reading its answers back into Core records.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString();
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string url, byte[] bytes, string? sha = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        if (sha is not null)
            request.Headers.Add("X-Content-SHA256", sha);
        return await client.SendAsync(request);
    }

    public static async Task<string> RegisterReadyAsync(HttpClient client, string asset, string kind, string version, byte[] file, object? extra = null)
    {
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind, description = "test" })).EnsureSuccessStatusCode();
        var body = extra ?? new { version };
        (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", body)).EnsureSuccessStatusCode();
        (await UploadAsync(client, $"/api/v1/teams/marketing/assets/{asset}/versions/{version}/artifacts/data.bin", file, Sha(file))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/teams/marketing/assets/{asset}/versions/{version}/finalize", null)).EnsureSuccessStatusCode();
        return asset;
    }
}
