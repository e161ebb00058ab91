using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Core.Assets;
using Portal.Core.Lineage;
using Portal.Core.Versions;
using Portal.E2ETests.Pages;
using Portal.Core.Data;

namespace Portal.E2ETests;

/// <summary>
/// The lineage graph at the size the issue names: one model built from 50 feature sets, each built from two of ten
/// layers of 50 datasets below it, so depth 10 reaches 501 nodes. Seeded straight into the database of a portal of its
/// own, so that the other browser tests keep the demo registry as it is.
/// </summary>
public sealed class LineageGraphScaleTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const int Layers = 10;
    private const int PerLayer = 50;
    private const int ModelVersions = 130;

    // Both tests read the same registry; the class fixture's portal is seeded once.
    private static readonly Dictionary<BrowserFixture, Lazy<Task>> Seeds = [];
    private Lazy<Task> Seeded
    {
        get
        {
            lock (Seeds)
                return Seeds.TryGetValue(fixture, out var seed) ? seed : Seeds[fixture] = new Lazy<Task>(SeedAsync);
        }
    }

    [Fact]
    public async Task The_asset_page_lists_a_hundred_versions_in_precedence_order_and_shows_more_on_request()
    {
        await Seeded.Value;
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/scale-model", "Maya Contreras");
            var rows = page.GetByTestId("versions-table").Locator("tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(100);
            // Highest precedence first: 1.0.129 down to 1.0.30 on the first page; 1.0.0 comes last.
            await Assertions.Expect(rows.First).ToContainTextAsync($"1.0.{ModelVersions - 1}");
            await page.GetByTestId("more-versions").ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(ModelVersions);
            await Assertions.Expect(rows.Last).ToContainTextAsync("1.0.0");
            await Assertions.Expect(page.GetByTestId("more-versions")).ToHaveCountAsync(0);
            await shell.ScreenshotAsync("asset-versions-paged");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("asset-versions-paged-failure");
            throw;
        }
    }

    /// <summary>
    /// Picks a depth and waits for the graph it draws. The select's option list opens with an animation; twice in CI a click
    /// landed before it settled and the depth stayed as it was (the list kept 151 nodes for the full wait), so it is chosen again.
    /// </summary>
    private static async Task ChooseDepthAsync(IPage page, string depth, string expectedNodes)
    {
        var nodes = page.GetByTestId("lineage-nodes");
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByTestId("lineage-depth").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = depth, Exact = true }).ClickAsync();
            try
            {
                await Assertions.Expect(nodes).ToContainTextAsync(expectedNodes, new() { Timeout = 8_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // Not taken: open the list and choose again.
            }
        }
    }

    [Fact]
    public async Task A_graph_of_500_nodes_draws_collapses_by_depth_and_finds_nodes_by_name()
    {
        await Seeded.Value;
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/scale-model/versions/1.0.0", "Maya Contreras");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Lineage" }).ClickAsync();
            var graph = page.GetByTestId("lineage-graph");
            var nodes = page.GetByTestId("lineage-nodes");
            // The default depth (3) collapses what lies beyond it and says so.
            await Assertions.Expect(nodes).ToContainTextAsync($"Nodes of the graph ({1 + 3 * PerLayer})");
            await Assertions.Expect(page.GetByText("More lineage lies beyond depth 3.")).ToBeVisibleAsync();

            await ChooseDepthAsync(page, "10", $"Nodes of the graph ({1 + Layers * PerLayer})");
            await Assertions.Expect(graph.Locator("canvas").First).ToBeAttachedAsync();
            await Assertions.Expect(page.GetByText("More lineage lies beyond depth")).ToHaveCountAsync(0);
            await graph.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "lineage-501-nodes.png") });

            // Search dims the rest and zooms to the matches: one layer of 50, then a single node.
            await page.GetByLabel("Find in graph").FillAsync("scale-layer-07");
            await Assertions.Expect(page.GetByTestId("lineage-matches")).ToHaveTextAsync($"{PerLayer} nodes match");
            await page.GetByLabel("Find in graph").FillAsync("scale-layer-07-12@1.0.0");
            await Assertions.Expect(page.GetByTestId("lineage-matches")).ToHaveTextAsync("1 node matches");
            await graph.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "lineage-501-nodes-search.png") });
            await page.GetByTestId("lineage-fit").ClickAsync();

            // Collapsing again keeps the search: layer 7 lies beyond depth 5, so nothing matches.
            await ChooseDepthAsync(page, "5", $"Nodes of the graph ({1 + 5 * PerLayer})");
            // The count comes after the new graph is laid out and drawn: for 251 nodes on a CI machine's two busy cores, more than
            // the default 5 s once (the old count then stood beside the new graph; now none does until the search has run again).
            await Assertions.Expect(page.GetByTestId("lineage-matches")).ToHaveTextAsync("0 nodes match", new() { Timeout = 30_000 });

            // Every node is reachable from the keyboard through the table that lists the graph's nodes.
            await nodes.GetByRole(AriaRole.Link, new() { Name = "marketing/scale-layer-03-00@1.0.0", Exact = true }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(shell.Heading).ToContainTextAsync("scale-layer-03-00");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("lineage-scale-failure");
            throw;
        }
    }

    /// <summary>Layer 1 holds the 50 direct inputs of the model; a node of layer L derives from nodes p and p+1 of layer L+1.</summary>
    private async Task SeedAsync()
    {
        var dbFactory = fixture.App.Service<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var teamId = await db.Teams.Where(t => t.Slug == "marketing").Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        AssetVersion Add(string name, AssetKind kind)
        {
            var asset = new Asset { TeamId = teamId, Kind = kind, Name = name, Owner = "maya", CreatedBy = "maya", CreatedAt = now, UpdatedAt = now };
            db.Assets.Add(asset);
            var version = new AssetVersion
            {
                TeamId = teamId, AssetId = asset.Id, Version = "1.0.0", Major = 1, CreatedBy = "maya",
                Status = VersionStatus.Ready, CreatedAt = now, FinalizedAt = now,
            };
            db.Versions.Add(version);
            return version;
        }
        var model = Add("scale-model", AssetKind.Model);
        // More versions of the model than one page of the asset page's list.
        for (var v = 1; v < ModelVersions; v++)
            db.Versions.Add(new AssetVersion
            {
                TeamId = teamId, AssetId = model.AssetId, Version = $"1.0.{v}", Patch = v, Major = 1, CreatedBy = "maya",
                Status = VersionStatus.Ready, CreatedAt = now, FinalizedAt = now,
            });
        var layers = Enumerable.Range(1, Layers)
            .Select(l => Enumerable.Range(0, PerLayer).Select(p => Add($"scale-layer-{l:00}-{p:00}", AssetKind.Dataset)).ToArray())
            .ToArray();
        foreach (var input in layers[0])
            db.LineageEdges.Add(new LineageEdge { VersionId = model.Id, UpstreamVersionId = input.Id, Kind = LineageKind.DerivedFrom });
        for (var l = 0; l < Layers - 1; l++)
            for (var p = 0; p < PerLayer; p++)
                foreach (var up in new[] { p, (p + 1) % PerLayer })
                    db.LineageEdges.Add(new LineageEdge { VersionId = layers[l][p].Id, UpstreamVersionId = layers[l + 1][up].Id, Kind = LineageKind.DerivedFrom });
        await db.SaveChangesAsync();
    }
}
