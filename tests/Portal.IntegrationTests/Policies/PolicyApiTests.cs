using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Policies;

/// <summary>Saving, revisions, diffs, the global-weakening refusal and dry runs through the API on a real database.</summary>
public sealed class PolicyApiTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "text/plain");

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Every_save_is_a_new_audited_revision_and_revisions_diff_line_by_line()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);
        var name = Unique("churn");
        var url = $"/api/v1/teams/marketing/policies/{name}";

        var first = await client.PutAsync(url, Yaml($"policy: {name}\nrules:\n  - tags: {{ required: [reviewed] }}\n"));
        var second = await client.PutAsJsonAsync(url, new { yaml = $"policy: {name}\nrules:\n  - tags: {{ required: [reviewed, signed-off] }}\n" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var detail = await JsonOf(second);
        Assert.Equal(2, detail.GetProperty("shown").GetProperty("revision").GetInt32());
        Assert.Equal(2, detail.GetProperty("history").GetArrayLength());
        var oldest = await client.GetFromJsonAsync<JsonElement>(url + "?revision=1");
        Assert.Contains("[reviewed]", oldest.GetProperty("shown").GetProperty("yaml").GetString());
        var diff = await client.GetFromJsonAsync<JsonElement>(url + "/diff?from=1&to=2");
        Assert.Contains(diff.EnumerateArray(), l => l.GetProperty("kind").GetString() == "Added" && l.GetProperty("text").GetString()!.Contains("signed-off"));
        Assert.Contains(diff.EnumerateArray(), l => l.GetProperty("kind").GetString() == "Removed");
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "policy.saved" && e.SubjectId == $"marketing/{name}"));
    }

    [Fact]
    public async Task Invalid_yaml_is_a_problem_with_line_and_column_not_a_500()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);

        var response = await client.PutAsync("/api/v1/teams/marketing/policies/broken", Yaml("policy: broken\nrules:\n  - metrc: accuracy\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.Equal("policy.invalid", problem.GetProperty("code").GetString());
        Assert.StartsWith("line 3, column 5: unknown rule kind 'metrc'", problem.GetProperty("errors").GetProperty("yaml")[0].GetString());
    }

    [Fact]
    public async Task A_document_naming_another_policy_than_its_address_is_refused()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);

        var response = await client.PutAsync("/api/v1/teams/marketing/policies/one", Yaml("policy: other\nrules:\n  - tags: { required: [x] }\n"));

        Assert.Equal("policy.name-mismatch", (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Team_policy_weakening_a_global_rule_is_refused_naming_the_rule_and_nothing_is_saved()
    {
        var global = Unique("global");
        var admin = await app.CallerAsync(await app.SignInAsync($"admin-{Guid.NewGuid():N}", "Platform Admin", "portal-admins"));
        var saved = await app.InScopeAsync<PolicyService, Portal.Core.Common.Result<PolicyDetail>>(s => s.SaveGlobalAsync(admin,
            $"policy: {global}\napplies-to: {{ targets: [Production] }}\nrules:\n  - metric: accuracy\n    at-least: baseline + 0.01\n"));
        Assert.True(saved.IsSuccess);
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);
        var name = Unique("weak");

        var response = await client.PutAsync($"/api/v1/teams/marketing/policies/{name}",
            Yaml($"policy: {name}\nrules:\n  - metric: accuracy\n    at-least: baseline + 0.005\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.Equal(PolicyWeakening.Code, problem.GetProperty("code").GetString());
        Assert.Contains($"global policy '{global}'", problem.GetProperty("title").GetString());
        Assert.Contains("accuracy at-least baseline + 0.01", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/teams/marketing/policies/{name}")).StatusCode);
        var tightened = await client.PutAsync($"/api/v1/teams/marketing/policies/{name}",
            Yaml($"policy: {name}\nrules:\n  - metric: accuracy\n    at-least: baseline + 0.02\n"));
        Assert.Equal(HttpStatusCode.OK, tightened.StatusCode);
    }

    [Fact]
    public async Task Dry_run_judges_a_version_with_any_revision_and_shows_values()
    {
        var scenario = await PolicyScenario.CreateAsync(app);
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);
        var name = Unique("dry");
        var url = $"/api/v1/teams/marketing/policies/{name}";
        await client.PutAsync(url, Yaml($"policy: {name}\napplies-to: {{ targets: [Production] }}\nrules:\n  - metric: accuracy\n    at-least: baseline + 0.01\n"));
        await client.PutAsync(url, Yaml($"policy: {name}\napplies-to: {{ targets: [Production] }}\nrules:\n  - metric: accuracy\n    at-least: baseline + 0.05\n"));
        var viewer = await app.ApiClientAsync("marketing", TeamRole.Viewer);
        var dryRun = $"/api/v1/teams/marketing/assets/{scenario.Asset}/versions/1.1.0/policy-dry-run?policy={name}&policyTeam=marketing&target=Production";

        var first = await viewer.GetFromJsonAsync<JsonElement>(dryRun + "&revision=1");
        var latest = await viewer.GetFromJsonAsync<JsonElement>(dryRun);

        var rule = first.GetProperty("results")[1];
        Assert.Equal("Pass", rule.GetProperty("outcome").GetString());
        Assert.Equal("0.884", rule.GetProperty("values").GetProperty("candidate").GetString());
        Assert.Equal("0.871", rule.GetProperty("values").GetProperty("required").GetString());
        Assert.True(first.GetProperty("checksPass").GetBoolean());
        Assert.Equal("Fail", latest.GetProperty("results")[1].GetProperty("outcome").GetString());
        Assert.Equal(2, latest.GetProperty("results")[1].GetProperty("policyRevision").GetInt32());
    }

    [Fact]
    public async Task Dry_run_with_an_unknown_target_is_a_validation_problem()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Viewer);

        var response = await client.GetAsync("/api/v1/teams/marketing/assets/churn-classifier/versions/1.1.0/policy-dry-run?policy=x&target=Heaven");

        Assert.Equal("policy.target-invalid", (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Team_list_shows_the_teams_policies_and_the_global_ones()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);
        var name = Unique("listed");
        await client.PutAsync($"/api/v1/teams/marketing/policies/{name}", Yaml($"policy: {name}\nrules:\n  - tags: {{ required: [x] }}\n"));

        var list = await (await app.ApiClientAsync("marketing", TeamRole.Viewer)).GetFromJsonAsync<JsonElement>("/api/v1/teams/marketing/policies");

        Assert.Contains(list.EnumerateArray(), p => p.GetProperty("name").GetString() == name && p.GetProperty("team").GetString() == "marketing");
    }
}
