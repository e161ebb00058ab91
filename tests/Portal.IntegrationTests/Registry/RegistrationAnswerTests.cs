using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Registry.RegistryApi;

namespace Portal.IntegrationTests.Registry;

/// <summary>The answer to a registration is built without reading the new version back: it must be what a read returns.</summary>
public abstract class RegistrationAnswerTests(PortalApp app)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_answer_to_a_registration_is_the_version_as_read_back(bool withLineage)
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = Unique("answer");
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model", tags = new[] { "Tabular" } })).EnsureSuccessStatusCode();
        var dataset = withLineage ? await RegisterReadyAsync(client, Unique("answer-data"), "Dataset", "1.0.0", Encoding.UTF8.GetBytes("a,b\n1,2\n")) : null;

        var created = await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new
        {
            version = "2.1.0-rc.1",
            description = "  Retrained on the autumn data  ",
            tags = new[] { "Candidate", "gpu" },
            parameters = new Dictionary<string, string> { ["max_depth"] = "7", ["learning_rate"] = "0.05" },
            lineage = dataset is null ? null : new[] { new { kind = "TrainedOn", team = "marketing", asset = dataset, version = "1.0.0" } },
            gitRepository = "https://git.example.com/ds/churn.git",
            gitCommit = "3F2A9C1D",
            containerImageDigest = "sha256:" + new string('a', 64),
            pipelineRunUrl = "https://ci.example.com/runs/42",
            promptVariables = new[] { "customer", " region " },
            rowCount = 1200L,
            schema = new Dictionary<string, string> { ["tenure"] = "int", ["churned"] = "bool" },
        });

        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);
        var answer = JsonNode.Parse(body)!;
        var read = JsonNode.Parse(await client.GetStringAsync($"/api/v1/teams/marketing/assets/{asset}/versions/{answer["version"]}"))!;
        Assert.True(JsonNode.DeepEquals(answer, read), $"answer: {answer.ToJsonString()}\nread:   {read.ToJsonString()}");
        Assert.Equal(withLineage ? 1 : 0, read["upstream"]!.AsArray().Count);
    }
}

public sealed class RegistrationAnswerTests_Sqlite(SqlitePortal app) : RegistrationAnswerTests(app), IClassFixture<SqlitePortal>;

public sealed class RegistrationAnswerTests_PostgreSql(PostgresPortal app) : RegistrationAnswerTests(app), IClassFixture<PostgresPortal>;
