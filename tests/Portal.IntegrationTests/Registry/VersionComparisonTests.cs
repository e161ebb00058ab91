using System.Net;
using System.Net.Http.Json;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;
using static Portal.IntegrationTests.Registry.RegistryApi;

namespace Portal.IntegrationTests.Registry;

/// <summary>Versions side by side through the API; runs on SQLite and PostgreSQL.</summary>
public abstract class VersionComparisonTests(PortalApp app)
{
    [Fact]
    public async Task Three_versions_compare_parameters_and_metrics_per_slice_with_deltas_from_the_first()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = Unique("cmp");
        var accuracies = new[] { 0.80, 0.85, 0.83 };
        for (var i = 0; i < 3; i++)
        {
            var version = $"1.{i}.0";
            if (i == 0)
                await RegisterReadyAsync(client, asset, "Model", version, [1], new { version, parameters = new Dictionary<string, string> { ["depth"] = "3" } });
            else
            {
                (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version, parameters = new Dictionary<string, string> { ["depth"] = i == 1 ? "3" : "5" } })).EnsureSuccessStatusCode();
                (await UploadAsync(client, $"/api/v1/teams/marketing/assets/{asset}/versions/{version}/artifacts/m.bin", [(byte)i], Sha([(byte)i]))).EnsureSuccessStatusCode();
                (await client.PostAsync($"/api/v1/teams/marketing/assets/{asset}/versions/{version}/finalize", null)).EnsureSuccessStatusCode();
            }
            (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions/{version}/metrics",
                new object[] { new { name = "accuracy", value = accuracies[i] }, new { name = "accuracy", value = accuracies[i] - 0.1, slice = "region=eu" } })).EnsureSuccessStatusCode();
        }

        var comparison = await client.GetFromJsonAsync<VersionComparison>($"/api/v1/teams/marketing/assets/{asset}/compare?versions=1.0.0,1.1.0,1.2.0", Json);

        var overall = comparison!.Metrics.Single(m => m.Name == "accuracy" && m.Slice == "");
        Assert.Equal([0.80, 0.85, 0.83], overall.Values.Select(v => Math.Round(v!.Value, 3)));
        Assert.Equal([0.0, 0.05, 0.03], overall.DeltasFromFirst.Select(v => Math.Round(v!.Value, 3)));
        Assert.Contains(comparison.Metrics, m => m.Slice == "region=eu");
        var depth = Assert.Single(comparison.Parameters);
        Assert.True(depth.Differs);
        Assert.Equal(["3", "3", "5"], depth.Values);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.0.0,1.0.0")]
    [InlineData("1.0.0,1.1.0,1.2.0,1.3.0,1.4.0,1.5.0")]
    public async Task Fewer_than_two_or_more_than_five_versions_are_refused(string versions)
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Viewer);

        var response = await client.GetAsync($"/api/v1/teams/marketing/assets/churn-classifier/compare?versions={versions}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("query.invalid", await CodeAsync(response));
    }
}

public sealed class VersionComparisonTests_Sqlite(SqlitePortal app) : VersionComparisonTests(app), IClassFixture<SqlitePortal>;

public sealed class VersionComparisonTests_PostgreSql(PostgresPortal app) : VersionComparisonTests(app), IClassFixture<PostgresPortal>;
