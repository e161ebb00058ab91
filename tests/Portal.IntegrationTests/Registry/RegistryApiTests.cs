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

/// <summary>The registry through the REST API, as a pipeline uses it; runs on SQLite and PostgreSQL.</summary>
public abstract class RegistryApiTests(PortalApp app)
{
    private Task<HttpClient> ClientAsync(string team = "marketing", TeamRole role = TeamRole.Contributor) => app.ApiClientAsync(team, role);

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
        Assert.Equal(1, versions.GetProperty("items").GetArrayLength());
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
