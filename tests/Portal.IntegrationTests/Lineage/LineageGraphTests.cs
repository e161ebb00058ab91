using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Lineage;
using Portal.Core.Teams;
using Portal.Testing;
using Portal.Web.Api;
using static Portal.IntegrationTests.Registry.RegistryApi;

namespace Portal.IntegrationTests.Lineage;

/// <summary>
/// A diamond in Marketing (data → a, b → c) and a Finance model built from c, shared read-only:
/// transitive walks, the depth limit, restricted nodes and impact; runs on SQLite and PostgreSQL.
/// </summary>
public abstract class LineageGraphTests(PortalApp app)
{
    private sealed record Diamond(string Data, string A, string B, string C, string Finance, string Commit);

    private async Task<Diamond> RegisterAsync()
    {
        var marketing = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var commit = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000";
        var d = new Diamond(Unique("data"), Unique("a"), Unique("b"), Unique("c"), Unique("fin"), commit);
        await RegisterReadyAsync(marketing, d.Data, "Dataset", "1.0.0", [1], new { version = "1.0.0", gitCommit = commit });
        foreach (var model in new[] { d.A, d.B })
            await RegisterReadyAsync(marketing, model, "Model", "1.0.0", [2],
                new { version = "1.0.0", lineage = new[] { new { kind = "TrainedOn", team = "marketing", asset = d.Data, version = "1.0.0" } } });
        await RegisterReadyAsync(marketing, d.C, "Model", "1.0.0", [3], new
        {
            version = "1.0.0",
            lineage = new[] { new { kind = "DerivedFrom", team = "marketing", asset = d.A, version = "1.0.0" }, new { kind = "DerivedFrom", team = "marketing", asset = d.B, version = "1.0.0" } },
        });
        var admin = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);
        (await admin.PutAsync($"/api/v1/teams/marketing/assets/{d.C}/shares/finance", null)).EnsureSuccessStatusCode();
        var finance = await app.ApiClientAsync("finance", TeamRole.Contributor);
        (await finance.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = d.Finance, kind = "Model" })).EnsureSuccessStatusCode();
        (await finance.PostAsJsonAsync($"/api/v1/teams/finance/assets/{d.Finance}/versions", new
        {
            version = "1.0.0",
            lineage = new[] { new { kind = "FineTunedFrom", team = "marketing", asset = d.C, version = "1.0.0" } },
        })).EnsureSuccessStatusCode();
        await SetStageAsync("marketing", d.C, Stage.Production);
        await SetStageAsync("finance", d.Finance, Stage.Staging);
        return d;
    }

    // Stages move only through approvals; the lifecycle tests cover that path. Here they are test data.
    private async Task SetStageAsync(string team, string asset, Stage stage)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var version = await (from v in db.Versions
                             join a in db.Assets on v.AssetId equals a.Id
                             join t in db.Teams on a.TeamId equals t.Id
                             where t.Slug == team && a.Name == asset
                             select v).SingleAsync();
        version.MoveTo(stage, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    private static async Task<LineageGraph> GraphAsync(HttpClient client, string team, string asset, string query)
    {
        var response = await client.GetAsync($"/api/v1/teams/{team}/assets/{asset}/versions/1.0.0/lineage?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LineageGraph>(Json))!;
    }

    private static string[] Assets(LineageGraph graph) =>
        [.. graph.Nodes.Where(n => n.NodeKind == LineageNodeKind.Version && n.Depth > 0).Select(n => n.Asset!).Order()];

    [Fact]
    public async Task Upstream_of_the_diamond_reaches_the_dataset_once_through_both_paths()
    {
        var d = await RegisterAsync();
        var graph = await GraphAsync(await app.ApiClientAsync("marketing", TeamRole.Viewer), "marketing", d.C, "direction=upstream");

        Assert.Equal(new[] { d.A, d.B, d.Data }.Order(), Assets(graph));
        Assert.Equal(2, graph.Nodes.Single(n => n.Asset == d.Data).Depth);
        var data = graph.Nodes.Single(n => n.Asset == d.Data).Key;
        Assert.Equal(2, graph.Links.Count(l => l.From == data));
        Assert.Contains(graph.Nodes, n => n.NodeKind == LineageNodeKind.Commit && n.Key == "commit:" + d.Commit);
        Assert.False(graph.Truncated);
    }

    [Fact]
    public async Task Downstream_of_the_dataset_reaches_everything_built_from_it_and_the_depth_limit_cuts_the_walk()
    {
        var d = await RegisterAsync();
        var marketing = await app.ApiClientAsync("marketing", TeamRole.Viewer);

        var full = await GraphAsync(marketing, "marketing", d.Data, "direction=downstream");
        Assert.Equal(new[] { d.A, d.B, d.C }.Order(), Assets(full));
        var one = await GraphAsync(marketing, "marketing", d.Data, "direction=downstream&depth=1");
        Assert.Equal(new[] { d.A, d.B }.Order(), Assets(one));
        Assert.True(one.Truncated);
        var tooDeep = await marketing.GetAsync($"/api/v1/teams/marketing/assets/{d.Data}/versions/1.0.0/lineage?depth=26");
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        Assert.Equal("query.invalid", await CodeAsync(tooDeep));
    }

    [Fact]
    public async Task Versions_another_team_may_not_see_are_one_nameless_node_whatever_their_number()
    {
        var d = await RegisterAsync();

        var fromMarketing = await GraphAsync(await app.ApiClientAsync("marketing", TeamRole.Viewer), "marketing", d.Data, "direction=downstream");
        var hidden = Assert.Single(fromMarketing.Nodes, n => n.NodeKind == LineageNodeKind.Restricted);
        Assert.Null(hidden.Asset);
        Assert.Null(hidden.Team);
        Assert.DoesNotContain(d.Finance, JsonSerializer.Serialize(fromMarketing));

        // Finance sees the shared model; its two private parents (and the dataset behind them) are one node.
        var fromFinance = await GraphAsync(await app.ApiClientAsync("finance", TeamRole.Viewer), "finance", d.Finance, "direction=upstream");
        Assert.Equal(new[] { d.C }, Assets(fromFinance));
        Assert.Single(fromFinance.Nodes, n => n.NodeKind == LineageNodeKind.Restricted);
        var text = JsonSerializer.Serialize(fromFinance);
        Assert.DoesNotContain(d.A, text);
        Assert.DoesNotContain(d.B, text);
        Assert.DoesNotContain(d.Data, text);
    }

    [Fact]
    public async Task Impact_lists_the_staging_and_production_versions_the_caller_may_see_by_version_and_by_commit()
    {
        var d = await RegisterAsync();
        var marketing = await app.ApiClientAsync("marketing", TeamRole.Viewer);

        var impact = await marketing.GetFromJsonAsync<ImpactedVersion[]>($"/api/v1/teams/marketing/assets/{d.Data}/versions/1.0.0/impact", Json);
        var production = Assert.Single(impact!);
        Assert.Equal((d.C, Stage.Production, 2), (production.Asset, production.Stage, production.Distance));

        var byCommit = await (await app.ApiClientAsync("finance", TeamRole.Viewer)).GetFromJsonAsync<ImpactedVersion[]>($"/api/v1/lineage/impact?commit={d.Commit}", Json);
        Assert.Empty(byCommit!);
        var csv = await marketing.GetStringAsync($"/api/v1/lineage/impact?commit={d.Commit.ToUpperInvariant()}&format=csv");
        Assert.Contains($"marketing,{d.C},Model,1.0.0,Production,2,commit {d.Commit}", csv);
    }

    [Fact]
    public async Task Manifest_names_the_exact_upstream_versions_with_their_hashes_and_what_was_not_recorded()
    {
        var d = await RegisterAsync();
        var finance = await app.ApiClientAsync("finance", TeamRole.Viewer);

        var manifest = await finance.GetFromJsonAsync<ReproducibilityManifest>($"/api/v1/teams/finance/assets/{d.Finance}/versions/1.0.0/manifest", Json);

        var upstream = Assert.Single(manifest!.Upstream);
        Assert.Equal((d.C, "1.0.0", "FineTunedFrom"), (upstream.Asset, upstream.Version, upstream.Relation));
        Assert.Equal(Sha([3]), Assert.Single(upstream.Artifacts).Sha256);
        Assert.Contains("No code commit was recorded.", manifest.Missing);
        var data = await finance.GetAsync($"/api/v1/teams/marketing/assets/{d.Data}/versions/1.0.0/manifest");
        Assert.Equal(HttpStatusCode.NotFound, data.StatusCode);
    }

    [Fact]
    public void Impact_csv_cells_are_never_read_as_formulas()
    {
        var csv = ImpactCsv.Write([new ImpactedVersion("=HYPERLINK(\"http://x\")", "+cmd", Portal.Core.Assets.AssetKind.Model, "-1", Stage.Production, 1, "@SUM(A1)")]);

        var cells = csv.Split('\n')[1].Split(',');
        Assert.All(new[] { cells[0], cells[1], cells[3] }, cell => Assert.DoesNotMatch("^\"?[=+\\-@]", cell));
    }
}

public sealed class LineageGraphTests_Sqlite(SqlitePortal app) : LineageGraphTests(app), IClassFixture<SqlitePortal>;

public sealed class LineageGraphTests_PostgreSql(PostgresPortal app) : LineageGraphTests(app), IClassFixture<PostgresPortal>;
