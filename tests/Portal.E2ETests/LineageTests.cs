using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>Lineage in the browser on the demo registry: the graph of a model version, through to its dataset, and its impact.</summary>
public sealed class LineageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Contributor_sees_the_lineage_graph_and_clicks_through_to_the_dataset()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/churn-classifier/versions/1.1.0", "Maya Contreras");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Lineage" }).ClickAsync();
            var graph = page.GetByTestId("lineage-graph");
            // Cytoscape draws on canvases inside the container once the layout has run.
            await Assertions.Expect(graph.Locator("canvas").First).ToBeAttachedAsync();
            await Assertions.Expect(page.GetByTestId("lineage-nodes")).ToContainTextAsync("customer-churn-data");
            await shell.ScreenshotAsync("lineage-graph");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Reproduce" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("manifest")).ToContainTextAsync("customer-churn-data");
            await shell.ScreenshotAsync("lineage-manifest");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Lineage" }).ClickAsync();

            await page.GetByTestId("lineage-nodes").GetByRole(AriaRole.Link, new() { Name = "customer-churn-data", Exact = false }).First.ClickAsync();
            await Assertions.Expect(shell.Heading).ToContainTextAsync("customer-churn-data");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Impact" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("impact")).ToContainTextAsync("churn-classifier");
            await shell.ScreenshotAsync("lineage-impact");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("lineage-failure");
            throw;
        }
    }

    [Fact]
    public async Task Contributor_compares_three_versions_side_by_side()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/iris-classifier", "Maya Contreras");
            await page.GetByRole(AriaRole.Link, new() { Name = "Compare versions" }).ClickAsync();
            await shell.WaitForAppNavigationAsync("**/compare**");
            await page.GotoAsync("/teams/marketing/assets/iris-classifier/compare?versions=1.0.0,2.0.0,2.1.0");
            await shell.WaitForInteractiveAsync();
            var metrics = page.GetByTestId("compare-metrics");
            await Assertions.Expect(metrics).ToContainTextAsync("2.1.0");
            await Assertions.Expect(metrics).ToContainTextAsync("+0.026");
            await Assertions.Expect(page.GetByTestId("compare-parameters")).ToContainTextAsync("n_estimators");
            await shell.ScreenshotAsync("compare-three-versions");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("compare-failure");
            throw;
        }
    }

    [Fact]
    public async Task Asset_page_charts_metrics_across_versions_and_draws_the_newest_versions_lineage_when_opened()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/iris-classifier", "Maya Contreras");
            var trends = page.GetByTestId("metric-trends");
            await Assertions.Expect(trends.GetByTestId("metric-chart").First).ToBeVisibleAsync();
            await Assertions.Expect(trends.GetByTestId("metric-chart").First.Locator("svg").First).ToBeAttachedAsync();
            await shell.ScreenshotAsync("asset-metric-charts");
            await trends.GetByTestId("chart-as-table").ClickAsync();
            var table = trends.GetByTestId("chart-table");
            await Assertions.Expect(table).ToContainTextAsync("2.1.0");
            await Assertions.Expect(table).ToContainTextAsync("0.973");
            await page.GetByTestId("asset-lineage").GetByText("Lineage of 2.1.0").ClickAsync();
            await Assertions.Expect(page.GetByTestId("lineage-graph").Locator("canvas").First).ToBeAttachedAsync();
            await Assertions.Expect(page.GetByTestId("lineage-nodes")).ToContainTextAsync("iris");
            await shell.ScreenshotAsync("asset-metrics-and-lineage");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("asset-metrics-failure");
            throw;
        }
    }

    [Fact]
    public async Task Impact_search_explains_a_malformed_commit_and_answers_an_unknown_one()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/impact", "Maya Contreras");
            await page.GetByLabel("Commit (7 to 64 hex characters)").FillAsync("not-a-commit");
            await page.GetByTestId("impact-search").ClickAsync();
            await Assertions.Expect(page.GetByText("A git commit: 7 to 64 hexadecimal characters.")).ToBeVisibleAsync();
            await page.GetByLabel("Commit (7 to 64 hex characters)").FillAsync("abcdef1");
            await page.GetByTestId("impact-search").ClickAsync();
            await Assertions.Expect(page.GetByTestId("impact-empty")).ToHaveTextAsync("Nothing in Staging or Production was built from abcdef1.");
            await shell.ScreenshotAsync("impact-search");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("impact-search-failure");
            throw;
        }
    }
}
