using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.Access;

/// <summary>Golden-check and production metrics are evidence the promotion gates trust: nobody can forge them.</summary>
public sealed class EvidenceMetricTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private const string Metrics = "/api/v1/teams/marketing/assets/churn-classifier/versions/1.2.0-rc.1/metrics";

    private async Task<HttpClient> GrantedClientAsync(TeamRole role = TeamRole.Contributor)
    {
        var admin = await app.CallerAsync(await app.SignInAsync($"admin-{Guid.NewGuid():N}", "Admin", "marketing-admins"));
        var issued = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s =>
            s.CreateAsync(admin, "marketing", "golden-runner", role, 30, mayRecordEvidence: true));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Value.Secret);
        return client;
    }

    [Theory]
    [InlineData("GoldenCheck")]
    [InlineData("Production")]
    public async Task Contributor_token_cannot_log_evidence_metrics(string source)
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);

        var response = await client.PostAsJsonAsync(Metrics, new[] { new { name = "accuracy", value = 0.99, source } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("team.forbidden", json.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_forged_metric_in_a_mixed_batch_records_nothing()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);
        var before = await client.GetFromJsonAsync<JsonElement>(Metrics);

        var response = await client.PostAsJsonAsync(Metrics, new object[]
        {
            new { name = "loss", value = 0.2, source = "Training" },
            new { name = "accuracy", value = 0.99, source = "GoldenCheck" },
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before.GetArrayLength(), (await client.GetFromJsonAsync<JsonElement>(Metrics)).GetArrayLength());
    }

    [Fact]
    public async Task Token_granted_by_a_team_admin_records_evidence()
    {
        var client = await GrantedClientAsync();

        var response = await client.PostAsJsonAsync(Metrics, new[] { new { name = "accuracy", value = 0.91, source = "GoldenCheck" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = await client.GetFromJsonAsync<JsonElement>(Metrics);
        Assert.Contains(logged.EnumerateArray(), m => m.GetProperty("source").GetString() == "GoldenCheck" && m.GetProperty("value").GetDouble() == 0.91);
    }

    [Fact]
    public async Task Evidence_right_cannot_be_given_to_a_viewer_token()
    {
        var admin = await app.CallerAsync(await app.SignInAsync($"admin-{Guid.NewGuid():N}", "Admin", "marketing-admins"));

        var issued = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s =>
            s.CreateAsync(admin, "marketing", "reader", TeamRole.Viewer, 30, mayRecordEvidence: true));

        Assert.Equal("token.invalid", issued.Error!.Code);
        Assert.NotNull(issued.Error.FieldMessage("mayRecordEvidence"));
    }

    [Fact]
    public async Task The_portals_own_jobs_record_evidence()
    {
        var job = CallerAccess.ForJob(Actor.Job("run-golden-checks"));

        var logged = await app.InScopeAsync<MetricService, Result<int>>(s => s.LogAsync(job, "marketing", "churn-classifier", "1.2.0-rc.1",
            [new MetricInput("golden_accuracy", 0.9, Source: MetricSource.GoldenCheck)]));

        Assert.True(logged.IsSuccess, logged.Error?.Message);
    }
}
