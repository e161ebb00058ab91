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

/// <summary>The registry through the REST API, as a pipeline uses it; runs on SQLite and PostgreSQL.</summary>
public abstract class RegistryApiTests(PortalApp app)
{
    private Task<HttpClient> ClientAsync(string team = "marketing", TeamRole role = TeamRole.Contributor) => app.ApiClientAsync(team, role);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string url, byte[] bytes, string? sha = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        if (sha is not null)
            request.Headers.Add("X-Content-SHA256", sha);
        return await client.SendAsync(request);
    }

    private static async Task<string> RegisterReadyAsync(HttpClient client, string asset, string kind, string version, byte[] file, object? extra = null)
    {
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind, description = "test" })).EnsureSuccessStatusCode();
        var body = extra ?? new { version };
        (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", body)).EnsureSuccessStatusCode();
        (await UploadAsync(client, $"/api/v1/teams/marketing/assets/{asset}/versions/{version}/artifacts/data.bin", file, Sha(file))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/teams/marketing/assets/{asset}/versions/{version}/finalize", null)).EnsureSuccessStatusCode();
        return asset;
    }

    [Fact]
    public async Task Iris_classifier_is_registered_end_to_end_through_the_api()
    {
        var client = await ClientAsync();
        var dataset = Unique("iris-data");
        var model = Unique("iris-clf");
        var csv = Encoding.UTF8.GetBytes("sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n");
        await RegisterReadyAsync(client, dataset, "Dataset", "1.0.0", csv);

        var created = await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = model, kind = "Model", description = "Iris species classifier", tags = new[] { "Tabular", "sklearn" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var version = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{model}/versions", new
        {
            version = "1.0.0",
            parameters = new Dictionary<string, string> { ["max_depth"] = "3", ["criterion"] = "gini" },
            lineage = new[] { new { kind = "TrainedOn", team = "marketing", asset = dataset, version = "1.0.0" } },
            gitRepository = "https://git.example.com/ds/iris.git",
            gitCommit = "3f2a9c1d",
        });
        Assert.Equal(HttpStatusCode.Created, version.StatusCode);
        var weights = RandomNumberGenerator.GetBytes(64 * 1024);
        var upload = await UploadAsync(client, $"/api/v1/teams/marketing/assets/{model}/versions/1.0.0/artifacts/model/iris.onnx", weights, Sha(weights));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var metrics = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{model}/versions/1.0.0/metrics", new object[]
        {
            new { name = "accuracy", value = 0.953, source = "Evaluation" },
            new { name = "accuracy", value = 0.94, slice = "species=versicolor", source = "Evaluation" },
            new { name = "loss", value = 0.31, step = 10, source = "Training" },
        });
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var finalized = await client.PostAsync($"/api/v1/teams/marketing/assets/{model}/versions/1.0.0/finalize", null);
        Assert.Equal(HttpStatusCode.OK, finalized.StatusCode);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{model}/versions/1.0.0");
        Assert.Equal("Ready", detail.GetProperty("status").GetString());
        Assert.Equal("3", detail.GetProperty("parameters").GetProperty("max_depth").GetString());
        Assert.Equal(Sha(weights), detail.GetProperty("artifacts")[0].GetProperty("sha256").GetString());
        var upstream = detail.GetProperty("upstream")[0];
        Assert.Equal(("TrainedOn", dataset), (upstream.GetProperty("kind").GetString(), upstream.GetProperty("asset").GetString()));
        var datasetDetail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{dataset}/versions/1.0.0");
        Assert.Equal(model, datasetDetail.GetProperty("downstream")[0].GetProperty("asset").GetString());
        var logged = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{model}/versions/1.0.0/metrics");
        Assert.Equal(3, logged.GetArrayLength());
        Assert.Contains(logged.EnumerateArray(), m => m.GetProperty("slice").GetString() == "species=versicolor");
        var asset = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{model}");
        Assert.Equal(["sklearn", "tabular"], asset.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var downloaded = await client.GetAsync($"/api/v1/teams/marketing/assets/{model}/versions/1.0.0/artifacts/model/iris.onnx");
        Assert.Equal(weights, await downloaded.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", downloaded.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", downloaded.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"\"{Sha(weights)}\"", downloaded.Headers.ETag?.Tag);

        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var actions = await db.AuditEvents.Where(e => e.ActorName.StartsWith("token:")).Select(e => e.Action).ToListAsync();
        Assert.Contains("version.registered", actions);
        Assert.Contains("artifact.uploaded", actions);
        Assert.Contains("metrics.logged", actions);
        Assert.Contains("version.finalized", actions);
        Assert.Contains("artifact.downloaded", actions);
    }

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
    public async Task Tags_stay_editable_after_finalization_with_if_match()
    {
        var client = await ClientAsync();
        var asset = await RegisterReadyAsync(client, Unique("tagged"), "Model", "1.0.0", [7]);
        var current = await client.GetAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0");
        var etag = current.Headers.ETag!.Tag;

        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0")
        { Content = JsonContent.Create(new { tags = new[] { "candidate" } }), Headers = { { "If-Match", "\"999\"" } } };
        var fresh = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0")
        { Content = JsonContent.Create(new { tags = new[] { "candidate" } }), Headers = { { "If-Match", etag } } };

        var staleResponse = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.Conflict, staleResponse.StatusCode);
        Assert.Equal("resource.stale", await CodeAsync(staleResponse));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(fresh)).StatusCode);
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
    public async Task Duplicate_asset_name_gets_asset_exists()
    {
        var client = await ClientAsync();
        var name = Unique("churn");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name, kind = "Model" });

        var again = await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name, kind = "Dataset" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("asset.exists", await CodeAsync(again));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0+build.5")]
    public async Task Non_semver_versions_are_refused(string version)
    {
        var client = await ClientAsync();
        var asset = Unique("semver");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });

        var response = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("version.invalid", await CodeAsync(response));
    }

    [Fact]
    public async Task Retried_create_with_the_same_idempotency_key_creates_one_version()
    {
        var client = await ClientAsync();
        var asset = Unique("retry");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });
        HttpRequestMessage Request() => new(HttpMethod.Post, $"/api/v1/teams/marketing/assets/{asset}/versions")
        { Content = JsonContent.Create(new { version = "2.0.0" }), Headers = { { "Idempotency-Key", "run-42" } } };

        var first = await client.SendAsync(Request());
        var second = await client.SendAsync(Request());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var versions = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/marketing/assets/{asset}/versions");
        Assert.Equal(1, versions.GetArrayLength());
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

    [Fact]
    public async Task Another_team_is_refused_on_every_registry_endpoint()
    {
        var marketing = await ClientAsync();
        var asset = await RegisterReadyAsync(marketing, Unique("private"), "Model", "1.0.0", [1, 2]);
        var finance = await ClientAsync("finance", TeamRole.Approver);
        var root = $"/api/v1/teams/marketing/assets/{asset}";

        var responses = new[]
        {
            await finance.GetAsync("/api/v1/teams/marketing/assets"),
            await finance.GetAsync(root),
            await finance.GetAsync(root + "/versions"),
            await finance.GetAsync(root + "/versions/1.0.0"),
            await finance.GetAsync(root + "/versions/1.0.0/metrics"),
            await finance.GetAsync(root + "/versions/1.0.0/artifacts/data.bin"),
            await finance.PostAsJsonAsync(root + "/versions", new { version = "9.0.0" }),
            await finance.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = "intruder", kind = "Model" }),
        };
        var financeAsset = Unique("fin-model");
        await finance.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = financeAsset, kind = "Model" });
        var lineage = await finance.PostAsJsonAsync($"/api/v1/teams/finance/assets/{financeAsset}/versions", new
        {
            version = "1.0.0",
            lineage = new[] { new { kind = "FineTunedFrom", team = "marketing", asset, version = "1.0.0" } },
        });

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, lineage.StatusCode);
        Assert.Equal("lineage.upstream-not-found", await CodeAsync(lineage));
    }

    [Fact]
    public async Task Shared_asset_is_readable_but_not_writable_by_the_other_team()
    {
        var marketing = await ClientAsync();
        var asset = await RegisterReadyAsync(marketing, Unique("shared"), "Dataset", "1.0.0", [3, 4]);
        var admin = await ClientAsync("marketing", TeamRole.TeamAdmin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/v1/teams/marketing/assets/{asset}/shares/finance", null)).StatusCode);
        var finance = await ClientAsync("finance", TeamRole.Contributor);

        var read = await finance.GetAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/data.bin");
        var write = await finance.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "2.0.0" });
        var financeList = await finance.GetFromJsonAsync<JsonElement>("/api/v1/teams/finance/assets?limit=200");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("asset.read-only", await CodeAsync(write));
        Assert.Contains(financeList.GetProperty("items").EnumerateArray(), a => a.GetProperty("name").GetString() == asset && a.GetProperty("sharedWithMe").GetBoolean());
    }

    [Fact]
    public async Task Asset_list_pages_with_a_cursor_and_filters()
    {
        var client = await ClientAsync("finance", TeamRole.Contributor);
        var prefix = Unique("page");
        for (var i = 0; i < 5; i++)
            await client.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = $"{prefix}-{i}", kind = i % 2 == 0 ? "Model" : "Dataset", tags = new[] { prefix } });

        var first = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets?tag={prefix}&limit=2");
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets?tag={prefix}&limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        var models = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets?tag={prefix}&kind=Model");

        Assert.Equal([$"{prefix}-0", $"{prefix}-1"], first.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal([$"{prefix}-2", $"{prefix}-3"], second.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(3, models.GetProperty("items").GetArrayLength());
    }
}

public sealed class RegistryApiTests_Sqlite(SqlitePortal app) : RegistryApiTests(app), IClassFixture<SqlitePortal>;

public sealed class RegistryApiTests_PostgreSql(PostgresPortal app) : RegistryApiTests(app), IClassFixture<PostgresPortal>;

/// <summary>Model cards and the integrity scan; SQLite is enough for rules that do not depend on the database.</summary>
public sealed class ModelCardAndIntegrityTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private Task<HttpClient> ClientAsync() => app.ApiClientAsync("marketing", TeamRole.Contributor);

    private static async Task<string> ReadyVersionAsync(HttpClient client, byte[] content)
    {
        var asset = $"card-{Guid.NewGuid():N}"[..14];
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });
        await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.0" });
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/m.bin") { Content = new ByteArrayContent(content) };
        (await client.SendAsync(put)).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/finalize", null)).EnsureSuccessStatusCode();
        return asset;
    }

    [Fact]
    public async Task Model_card_revisions_are_kept_and_completeness_is_computed()
    {
        var client = await ClientAsync();
        var asset = await ReadyVersionAsync(client, [1, 2, 3]);
        var url = $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/model-card";

        var first = await client.PutAsJsonAsync(url, new { sections = new Dictionary<string, string> { ["intendedUse"] = "Rank customers by churn risk for retention offers." }, basedOnRevision = 0 });
        var second = await client.PutAsJsonAsync(url, new
        {
            sections = new Dictionary<string, string>
            {
                ["intendedUse"] = "Rank customers by churn risk for retention offers.",
                ["limitations"] = "Not calibrated for customers younger than three months.",
                ["trainingData"] = "customers-2024 dataset 1.2.0, deduplicated, PII removed.",
            },
            basedOnRevision = 1,
        });
        var stale = await client.PutAsJsonAsync(url, new { sections = new Dictionary<string, string>(), basedOnRevision = 1 });
        var card = await client.GetFromJsonAsync<JsonElement>(url);
        var firstRevision = await client.GetFromJsonAsync<JsonElement>(url + "?revision=1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(2, card.GetProperty("revision").GetInt32());
        Assert.Equal(33, card.GetProperty("completeness").GetInt32());
        Assert.Equal(2, card.GetProperty("history").GetArrayLength());
        Assert.Equal(11, firstRevision.GetProperty("completeness").GetInt32());
    }

    [Fact]
    public async Task Unknown_model_card_section_is_refused()
    {
        var client = await ClientAsync();
        var asset = await ReadyVersionAsync(client, [4]);

        var response = await client.PutAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/model-card",
            new { sections = new Dictionary<string, string> { ["secretSauce"] = "x" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Corrupt_blob_is_flagged_by_the_integrity_scan_and_never_served()
    {
        var client = await ClientAsync();
        var content = Encoding.UTF8.GetBytes("weights " + Guid.NewGuid());
        var asset = await ReadyVersionAsync(client, content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var file = Directory.EnumerateFiles(app.ArtifactRoot, sha, SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(file, Encoding.UTF8.GetBytes("tampered"));

        var corrupt = await app.InScopeAsync<Portal.Core.Artifacts.VerifyBlobIntegrityJob, int>(j => j.RunAsync(10_000, CancellationToken.None));
        var download = await client.GetAsync($"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/m.bin");

        Assert.True(corrupt >= 1);
        Assert.Equal(HttpStatusCode.Conflict, download.StatusCode);
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "blob.corrupt" && e.SubjectId == sha));
    }
}

public abstract class VersionSearchTests(PortalApp app)
{
    [Fact]
    public async Task Versions_are_found_by_tag_and_metric_threshold_page_by_page()
    {
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var tag = $"search-{Guid.NewGuid():N}"[..15];
        var asset = $"s-{Guid.NewGuid():N}"[..10];
        await client.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = asset, kind = "Model" });
        for (var i = 1; i <= 4; i++)
        {
            await client.PostAsJsonAsync($"/api/v1/teams/finance/assets/{asset}/versions", new { version = $"1.{i}.0", tags = i % 2 == 0 ? new[] { tag } : [] });
            await client.PostAsJsonAsync($"/api/v1/teams/finance/assets/{asset}/versions/1.{i}.0/metrics", new[] { new { name = "auc", value = 0.7 + i * 0.05 } });
        }

        var tagged = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/versions?tag={tag}");
        var good = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/versions?metric=auc&min=0.84&tag=&limit=1");
        var next = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/versions?metric=auc&min=0.84&limit=1&cursor={good.GetProperty("nextCursor").GetString()}");

        Assert.Equal(["1.4.0", "1.2.0"], tagged.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal("1.4.0", good.GetProperty("items")[0].GetProperty("version").GetString());
        Assert.Equal("1.3.0", next.GetProperty("items")[0].GetProperty("version").GetString());
    }
}

public sealed class VersionSearchTests_Sqlite(SqlitePortal app) : VersionSearchTests(app), IClassFixture<SqlitePortal>;

public sealed class VersionSearchTests_PostgreSql(PostgresPortal app) : VersionSearchTests(app), IClassFixture<PostgresPortal>;
