using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>
/// Every field that names something refuses control, line-separator and bidirectional-formatting
/// characters with a 400 and a field message, on every endpoint and service that takes a name.
/// </summary>
public abstract class HostileNameTests(PortalApp app)
{
    public static readonly string[] Hostile = ["a\r\nb", "a\u0000b", "evil\u202Etxt.exe", "a\u2067b\u2069", "a\u200Fb", "a\u061Cb", "a\u2028b", "a\u001Bb"];

    /// <summary>Each name-bearing API field, sending the hostile text in that field only.</summary>
    private static readonly Dictionary<string, Func<HttpClient, string, string, Task<HttpResponseMessage>>> Fields = new()
    {
        ["asset name"] = (c, _, bad) => c.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = "n" + bad, kind = "Model" }),
        ["asset owner"] = (c, _, bad) => c.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = Unique("own"), kind = "Model", owner = bad }),
        ["asset tag"] = (c, _, bad) => c.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = Unique("tag"), kind = "Model", tags = new[] { bad } }),
        ["asset owner edit"] = (c, asset, bad) => c.PatchAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}", new { owner = bad }),
        ["asset tag edit"] = (c, asset, bad) => c.PatchAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}", new { tags = new[] { bad } }),
        ["version tag"] = (c, asset, bad) => c.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "2.0.0", tags = new[] { bad } }),
        ["parameter key"] = (c, asset, bad) => c.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions",
            new { version = "2.0.0", parameters = new Dictionary<string, string> { [bad] = "1" } }),
        ["schema column"] = (c, asset, bad) => c.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions",
            new { version = "2.0.0", schema = new Dictionary<string, string> { [bad] = "int" } }),
        ["version tag edit"] = (c, asset, bad) => c.PatchAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0", new { tags = new[] { bad } }),
        ["metric name"] = (c, asset, bad) => c.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/metrics", new[] { new { name = bad, value = 1.0 } }),
        ["metric slice"] = (c, asset, bad) => c.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/metrics",
            new[] { new { name = "accuracy", value = 1.0, slice = "sex=" + bad } }),
        ["artifact path"] = (c, asset, bad) => c.PutAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/dir/{Uri.EscapeDataString(bad)}.bin",
            new ByteArrayContent([1, 2, 3])),
    };

    public static TheoryData<string, string> FieldsAndCharacters()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in Fields.Keys)
            foreach (var bad in Hostile)
            {
                // The HTTP server refuses NUL in a URL path before the portal sees it.
                if (!(field == "artifact path" && bad.Contains('\0')))
                    data.Add(field, bad);
            }
        return data;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Theory]
    [MemberData(nameof(FieldsAndCharacters))]
    public async Task Unsafe_characters_are_refused_in_every_name_bearing_api_field(string field, string bad)
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = Unique("names");
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.0" })).EnsureSuccessStatusCode();

        var response = await Fields[field](client, asset, bad);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("invalid", problem.RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Characters))]
    public async Task Unsafe_characters_are_refused_in_team_and_token_names(string bad)
    {
        var admin = await app.CallerAsync(await app.SignInAsync("names-admin", "Names Admin", "portal-admins", "marketing-admins"));

        var team = await app.InScopeAsync<TeamService, Result<TeamSummary>>(s => s.CreateAsync(admin, Unique("t"), "Team " + bad, ""));
        var token = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s => s.CreateAsync(admin, "marketing", "ci " + bad, TeamRole.Viewer, 30));

        Assert.Equal(Names.UnsafeMessage, team.Error?.FieldMessage("name"));
        Assert.Equal(Names.UnsafeMessage, token.Error?.FieldMessage("name"));
    }

    public static TheoryData<string> Characters() => new(Hostile);

    [Fact]
    public async Task Names_in_other_scripts_are_accepted_and_read_back_unchanged()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var name = "modèle-日本語-" + Guid.NewGuid().ToString("N")[..6];

        var created = await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name, kind = "Model", owner = "Zoë Ångström" });
        var read = await client.GetFromJsonAsync<JsonElement>(created.Headers.Location);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(created.Headers.Location!.OriginalString.All(char.IsAscii), created.Headers.Location.OriginalString);
        Assert.Equal(name, read.GetProperty("name").GetString());
        Assert.Equal("Zoë Ångström", read.GetProperty("owner").GetString());
    }
}

public sealed class HostileNameTests_Sqlite(SqlitePortal app) : HostileNameTests(app), IClassFixture<SqlitePortal>;

public sealed class HostileNameTests_PostgreSql(PostgresPortal app) : HostileNameTests(app), IClassFixture<PostgresPortal>;
