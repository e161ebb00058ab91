using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Registry.RegistryApi;

namespace Portal.IntegrationTests.Registry;

/// <summary>Bodies the contract does not allow are refused with a problem naming the field, never answered with a 500.</summary>
public abstract class MalformedBodyTests(PortalApp app)
{
    private static StringContent Json(string json, string contentType = "application/json") =>
        new(json, Encoding.UTF8) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType) } };

    private async Task<(HttpClient Client, string Asset)> AssetAsync()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = Unique("body");
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" })).EnsureSuccessStatusCode();
        return (client, asset);
    }

    private static async Task<(HttpStatusCode Status, string? Code, string[] Fields)> ProblemAsync(HttpResponseMessage response)
    {
        var code = await CodeAsync(response);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var fields = json.RootElement.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(e => e.Name).ToArray() : [];
        return (response.StatusCode, code, fields);
    }

    [Theory]
    [InlineData("assets", """{"name":"n-{0}","kind":"Model","tags":[null]}""", "tags[0]")]
    [InlineData("versions", """{"version":"1.0.0","promptVariables":["ok",null]}""", "promptVariables[1]")]
    [InlineData("versions", """{"version":"1.0.0","tags":[null]}""", "tags[0]")]
    [InlineData("versions", """{"version":"1.0.0","lineage":[null]}""", "lineage[0]")]
    [InlineData("versions", """{"version":"1.0.0","lineage":[{"kind":"TrainedOn","team":"marketing","version":"1.0.0"}]}""", "lineage[0].asset")]
    [InlineData("versions", """{"version":"1.0.0","lineage":[{"kind":"TrainedOn","asset":"x","version":"1.0.0"}]}""", "lineage[0].team")]
    [InlineData("metrics", """[{"name":"accuracy","value":0.9},null]""", "metrics[1]")]
    public async Task A_null_item_of_a_list_is_refused_with_the_item_named(string endpoint, string body, string field)
    {
        var (client, asset) = await AssetAsync();
        if (endpoint == "metrics")
            (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.0" })).EnsureSuccessStatusCode();
        var url = endpoint switch
        {
            "assets" => "/api/v1/teams/marketing/assets",
            "versions" => $"/api/v1/teams/marketing/assets/{asset}/versions",
            _ => $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/metrics",
        };

        var response = await client.PostAsync(url, Json(body.Replace("{0}", Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal)));

        var (status, _, fields) = await ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(field, fields);
    }

    [Fact]
    public async Task A_json_body_in_a_charset_nobody_knows_is_refused_as_unsupported()
    {
        var (client, asset) = await AssetAsync();

        var response = await client.PostAsync($"/api/v1/teams/marketing/assets/{asset}/versions", Json("""{"version":"1.0.0"}""", "application/json; charset=bogus"));

        var (status, code, _) = await ProblemAsync(response);
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "request.unsupported-media-type"), (status, code));
    }

    [Fact]
    public async Task The_same_upstream_named_twice_is_one_edge_not_a_conflict()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var data = await RegisterReadyAsync(client, Unique("twice"), "Dataset", "1.0.0", [1, 2, 3]);
        var model = Unique("twice-model");
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = model, kind = "Model" })).EnsureSuccessStatusCode();

        var response = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{model}/versions", new
        {
            version = "1.0.0",
            lineage = new[] { new { kind = "TrainedOn", team = "marketing", asset = data, version = "1.0.0" }, new { kind = "TrainedOn", team = "MARKETING", asset = data, version = "1.0.0" } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, json.RootElement.GetProperty("upstream").GetArrayLength());
    }

    [Fact]
    public async Task A_git_repository_longer_than_its_column_is_refused_as_invalid()
    {
        var (client, asset) = await AssetAsync();

        var response = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions",
            new { version = "1.0.0", gitRepository = "https://git.example.com/" + new string('a', 600) });

        var (status, code, fields) = await ProblemAsync(response);
        Assert.Equal((HttpStatusCode.BadRequest, "version.invalid"), (status, code));
        Assert.Contains("gitRepository", fields);
    }
}

public sealed class MalformedBodyTests_Sqlite(SqlitePortal app) : MalformedBodyTests(app), IClassFixture<SqlitePortal>;

public sealed class MalformedBodyTests_PostgreSql(PostgresPortal app) : MalformedBodyTests(app), IClassFixture<PostgresPortal>;
