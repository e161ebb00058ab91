using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Registry;

public sealed class PromptAndDatasetTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private Task<HttpClient> ClientAsync() => app.ApiClientAsync("marketing", TeamRole.Contributor);

    private static async Task AddPromptVersionAsync(HttpClient client, string asset, string version, string text, string[] variables)
    {
        (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version, promptVariables = variables })).EnsureSuccessStatusCode();
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/teams/marketing/assets/{asset}/versions/{version}/artifacts/prompt.hbs")
        { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text)) };
        (await client.SendAsync(put)).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/teams/marketing/assets/{asset}/versions/{version}/finalize", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Prompt_template_renders_with_sample_inputs_and_diffs_between_versions()
    {
        var client = await ClientAsync();
        var asset = $"welcome-{Guid.NewGuid():N}"[..16];
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "PromptTemplate" });
        await AddPromptVersionAsync(client, asset, "1.0.0", "Hello {{customer}},\nthanks for shopping.\n", ["customer"]);
        await AddPromptVersionAsync(client, asset, "1.1.0", "Hello {{customer}},\nthanks for shopping with {{brand}}.\n<b>Offer</b>: {{offer}}\n", ["customer", "brand"]);

        var template = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{asset}/versions/1.1.0/prompt");
        var preview = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.1.0/prompt/preview",
            new Dictionary<string, string> { ["customer"] = "Ana & Co", ["brand"] = "Acme", ["offer"] = "10% off" });
        var missing = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.1.0/prompt/preview", new Dictionary<string, string> { ["customer"] = "Ana" });
        var diff = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{asset}/prompt/diff?from=1.0.0&to=1.1.0");

        Assert.Equal(["brand", "customer", "offer"], template.GetProperty("usedVariables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["offer"], template.GetProperty("undeclaredVariables").EnumerateArray().Select(v => v.GetString()));
        var rendered = (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString();
        Assert.Equal("Hello Ana & Co,\nthanks for shopping with Acme.\n<b>Offer</b>: 10% off\n", rendered);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var lines = diff.EnumerateArray().Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("text").GetString())).ToList();
        Assert.Contains(("Removed", "thanks for shopping."), lines);
        Assert.Contains(("Added", "thanks for shopping with {{brand}}."), lines);
        Assert.Contains(("Unchanged", "Hello {{customer}},"), lines);
    }

    [Fact]
    public async Task Dvc_file_is_imported_as_an_external_dataset_version()
    {
        var client = await ClientAsync();
        var asset = $"dvc-{Guid.NewGuid():N}"[..12];
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Dataset" });
        const string dvcFile = "outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  size: 14445097\n  hash: md5\n  path: data.xml\n";

        var imported = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/import-dvc",
            new { version = "1.0.0", dvcFile, remote = "s3://ml-data/dvcstore" });
        var finalized = await client.PostAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/finalize", null);
        var garbage = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/import-dvc",
            new { version = "2.0.0", dvcFile = "!!python/object:os.system ['rm -rf /']", remote = "s3://ml-data/dvcstore" });

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var body = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("md5:22a1a2931c8370d3aeedd7183606fd7f", body.GetProperty("externalHash").GetString());
        Assert.Equal("s3://ml-data/dvcstore/files/md5/22/a1a2931c8370d3aeedd7183606fd7f", body.GetProperty("externalUri").GetString());
        Assert.Equal("data.xml", body.GetProperty("parameters").GetProperty("dvc.path").GetString());
        Assert.Equal(HttpStatusCode.OK, finalized.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }
}

public sealed class InterruptedUploadTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    /// <summary>A client that disappears half-way: the read fails after some bytes.</summary>
    private sealed class BrokenStream(int failAfter) : MemoryStream(new byte[failAfter * 2])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (Position >= failAfter)
                throw new IOException("The client went away.");
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], ct);
        }
    }

    [Fact]
    public async Task Upload_cut_off_mid_way_leaves_no_artifact_and_no_file()
    {
        var admin = await app.CallerAsync(await app.SignInAsync("cut-off", "Cut Off", "marketing-contributors"));
        var asset = $"cut-{Guid.NewGuid():N}"[..12];
        await app.InScopeAsync<Portal.Core.Assets.AssetService, Portal.Core.Common.Result<Portal.Core.Assets.AssetDetail>>(s =>
            s.CreateAsync(admin, "marketing", new Portal.Core.Assets.AssetInput(asset, Portal.Core.Assets.AssetKind.Model, "", null, null)));
        await app.InScopeAsync<Portal.Core.Versions.VersionService, Portal.Core.Common.Result<Portal.Core.Versions.VersionDetail>>(s =>
            s.CreateAsync(admin, "marketing", asset, new Portal.Core.Versions.VersionInput("1.0.0")));

        await Assert.ThrowsAsync<IOException>(() => app.InScopeAsync<Portal.Core.Artifacts.ArtifactService, Portal.Core.Common.Result<Portal.Core.Versions.ArtifactView>>(s =>
            s.UploadAsync(admin, "marketing", asset, "1.0.0", "weights.bin", new BrokenStream(100_000), null, null)));

        var detail = await app.InScopeAsync<Portal.Core.Versions.VersionService, Portal.Core.Common.Result<Portal.Core.Versions.VersionDetail>>(s =>
            s.GetAsync(admin, "marketing", asset, "1.0.0"));
        Assert.Empty(detail.Value.Artifacts);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.ArtifactRoot, "incoming")));
    }
}

public sealed class DatasetMetadataAndSortTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task Dataset_version_keeps_row_count_and_schema()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = $"ds-{Guid.NewGuid():N}"[..11];
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Dataset" });

        var created = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions",
            new { version = "1.0.0", rowCount = 150, schema = new Dictionary<string, string> { ["age"] = "int64", ["region"] = "category" } });
        var negative = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.1", rowCount = -1 });

        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(150, body.GetProperty("rowCount").GetInt64());
        Assert.Equal("category", body.GetProperty("schema").GetProperty("region").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
    }

    [Fact]
    public async Task Assets_sort_by_recent_update_with_a_cursor()
    {
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var tag = $"sort-{Guid.NewGuid():N}"[..13];
        foreach (var name in new[] { "zeta", "alpha", "mid" })
            await client.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = $"{tag}-{name}", kind = "Model", tags = new[] { tag } });

        var first = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets?tag={tag}&sort=RecentlyUpdated&limit=2");
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets?tag={tag}&sort=RecentlyUpdated&limit=2&cursor={first.GetProperty("nextCursor").GetString()}");

        Assert.Equal([$"{tag}-mid", $"{tag}-alpha"], first.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal([$"{tag}-zeta"], second.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
    }
}
