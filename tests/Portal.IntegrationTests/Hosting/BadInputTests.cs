using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Malformed and oversized requests get problem details with a code, never a 500.</summary>
public sealed class BadInputTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private Task<HttpClient> AdminClientAsync() => app.ApiClientAsync("marketing", TeamRole.TeamAdmin);

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.TryGetProperty("correlationId", out _));
        return json.RootElement.GetProperty("code").GetString();
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem()
    {
        var client = await AdminClientAsync();

        var response = await client.PostAsync("/api/v1/teams/marketing/members", new StringContent("{\"email\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("request.invalid", await CodeAsync(response));
    }

    [Fact]
    public async Task Unknown_enum_value_gets_400_problem()
    {
        var client = await AdminClientAsync();

        var response = await client.PostAsync("/api/v1/teams/marketing/members",
            new StringContent("{\"email\":\"a@example.com\",\"role\":\"Overlord\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("request.invalid", await CodeAsync(response));
    }

    [Fact]
    public async Task Oversized_body_gets_413_problem_before_it_is_read()
    {
        var client = await AdminClientAsync();
        var huge = "{\"email\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";

        var response = await client.PostAsync("/api/v1/teams/marketing/members", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request.too-large", await CodeAsync(response));
    }

    [Fact]
    public async Task Wrong_content_type_gets_415_problem()
    {
        var client = await AdminClientAsync();

        var response = await client.PostAsync("/api/v1/teams/marketing/members", new StringContent("email=a", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("request.unsupported-media-type", await CodeAsync(response));
    }

    [Fact]
    public async Task Unknown_api_route_gets_404_problem()
    {
        var client = await AdminClientAsync();

        var response = await client.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("route.not-found", await CodeAsync(response));
    }

    [Fact]
    public async Task Granting_to_an_unknown_person_is_a_404_with_its_own_code()
    {
        var client = await AdminClientAsync();

        var response = await client.PostAsync("/api/v1/teams/marketing/members",
            new StringContent("{\"email\":\"nobody@example.com\",\"role\":\"Viewer\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("user.not-found", await CodeAsync(response));
    }
}
