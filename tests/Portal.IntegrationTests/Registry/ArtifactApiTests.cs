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
using static Portal.IntegrationTests.Registry.RegistryApi;

namespace Portal.IntegrationTests.Registry;

/// <summary>Artifacts through the REST API: digests, deduplication, ranges, unsafe paths and formats; runs on SQLite and PostgreSQL.</summary>
public abstract class ArtifactApiTests(PortalApp app)
{
    private Task<HttpClient> ClientAsync(string team = "marketing", TeamRole role = TeamRole.Contributor) => app.ApiClientAsync(team, role);

    [Fact]
    public async Task Finalized_version_refuses_new_artifacts()
    {
        var client = await ClientAsync();
        var asset = await RegisterReadyAsync(client, Unique("frozen"), "Model", "1.0.0", [1, 2, 3]);

        var upload = await UploadAsync(client, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/extra.bin", [4, 5, 6]);

        Assert.Equal(HttpStatusCode.Conflict, upload.StatusCode);
        Assert.Equal("version.immutable", await CodeAsync(upload));
    }

    [Fact]
    public async Task Digest_mismatch_stores_nothing()
    {
        var client = await ClientAsync();
        var asset = Unique("mismatch");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });
        await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "0.1.0" });
        var bytes = Encoding.UTF8.GetBytes("actual content " + Guid.NewGuid());

        var upload = await UploadAsync(client, $"/api/v1/teams/marketing/assets/{asset}/versions/0.1.0/artifacts/w.bin", bytes, Sha([9, 9, 9]));

        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Equal("artifact.digest-mismatch", await CodeAsync(upload));
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{asset}/versions/0.1.0");
        Assert.Equal(0, detail.GetProperty("artifacts").GetArrayLength());
        Assert.Empty(Directory.EnumerateFiles(app.ArtifactRoot, Sha(bytes), SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.ArtifactRoot, "incoming")));
    }

    [Fact]
    public async Task Identical_content_is_stored_once()
    {
        var client = await ClientAsync();
        var bytes = Encoding.UTF8.GetBytes("shared weights " + Guid.NewGuid());
        await RegisterReadyAsync(client, Unique("dup-a"), "Model", "1.0.0", bytes);
        await RegisterReadyAsync(client, Unique("dup-b"), "Model", "1.0.0", bytes);

        Assert.Single(Directory.EnumerateFiles(app.ArtifactRoot, Sha(bytes), SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Range_request_returns_the_requested_bytes()
    {
        var client = await ClientAsync();
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)).ToArray();
        var asset = await RegisterReadyAsync(client, Unique("ranged"), "Dataset", "1.0.0", bytes);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/data.bin");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1000, response.Content.Headers.ContentRange?.Length);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("dir/./x")]
    public async Task Unsafe_artifact_paths_are_refused(string path)
    {
        var client = await ClientAsync();
        var asset = Unique("paths");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });
        await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.0" });

        var response = await UploadAsync(client, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/{Uri.EscapeDataString(path)}", [1]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("artifact.path-invalid", await CodeAsync(response));
    }

    [Fact]
    public async Task File_urls_are_refused_as_sources()
    {
        var client = await ClientAsync();
        var asset = Unique("urls");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Dataset" });

        var response = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions",
            new { version = "1.0.0", externalUri = "file:///etc/shadow", externalHash = "md5:" + new string('a', 32), gitRepository = "/home/me/repo" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("externalUri", out _));
        Assert.True(errors.TryGetProperty("gitRepository", out _));
    }

    [Fact]
    public async Task Pickle_files_are_stored_but_flagged_unsafe()
    {
        var client = await ClientAsync();
        var asset = Unique("pickled");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });
        await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.0" });

        var upload = await UploadAsync(client, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/model.pkl", [0x80, 0x04, 0x95]);

        var body = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("isUnsafeFormat").GetBoolean());
    }
}

public sealed class ArtifactApiTests_Sqlite(SqlitePortal app) : ArtifactApiTests(app), IClassFixture<SqlitePortal>;

public sealed class ArtifactApiTests_PostgreSql(PostgresPortal app) : ArtifactApiTests(app), IClassFixture<PostgresPortal>;
