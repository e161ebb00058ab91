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
