using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>The governed lifecycle in the browser, on the demo data: an approver works the queue, the contributor sees the result, a rollback.</summary>
public sealed class LifecycleTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Approver_works_the_queue_contributor_sees_the_decision_and_production_is_rolled_back()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/", "Amara Obi");
            await Assertions.Expect(page.GetByTestId("approvals-badge")).ToHaveTextAsync("1");
            await page.GetByRole(AriaRole.Link, new() { Name = "Approvals" }).First.ClickAsync();
            await shell.WaitForAppNavigationAsync("**/approvals");
            await Assertions.Expect(page.GetByTestId("approvals-table")).ToContainTextAsync("churn-classifier");
            await shell.ScreenshotAsync("approvals-queue");

            await page.GetByTestId("approvals-table").GetByRole(AriaRole.Link).First.ClickAsync();
            await Assertions.Expect(shell.Heading).ToContainTextAsync("Request");
            await Assertions.Expect(page.GetByTestId("rule-results").First).ToContainTextAsync("accuracy at-least baseline + 0.01");
            await Assertions.Expect(page.GetByTestId("metric-comparison")).ToContainTextAsync("0.884");
            // The side column's lineage is read whole, not scrolled sideways.
            await Assertions.Expect(page.GetByTestId("lineage").GetByRole(AriaRole.Link).First).ToBeInViewportAsync(new() { Ratio = 1 });
            await shell.ScreenshotAsync("review-screen");
            var decision = page.GetByTestId("decision-panel");
            await decision.GetByLabel("Comment").FillAsync("February retrain checked on the holdout; EU and US within a point.");
            await decision.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("transition-state").First).ToHaveTextAsync("Applied");
            await Assertions.Expect(page.GetByTestId("approvals-badge")).ToHaveCountAsync(0);
            await shell.ScreenshotAsync("review-approved");
            await shell.SignOutAsync();

            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/churn-classifier/versions/1.1.0", "Maya Contreras");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Lifecycle" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("stage-chip").First).ToHaveTextAsync("Production");
            await Assertions.Expect(page.GetByText("February retrain checked on the holdout", new() { Exact = false })).ToBeVisibleAsync();
            await shell.ScreenshotAsync("version-lifecycle");
            await shell.SignOutAsync();

            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/churn-classifier", "Amara Obi");
            await Assertions.Expect(page.GetByTestId("production-version")).ToHaveTextAsync("1.1.0");
            await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1.0.0" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog.GetByTestId("lineage")).ToContainTextAsync("customer-churn-data");
            await dialog.GetByLabel("Reason").FillAsync("1.1.0 under-scores EU customers in production monitoring.");
            await shell.ScreenshotAsync("rollback-dialog");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("production-version")).ToHaveTextAsync("1.0.0");
            var trends = page.GetByTestId("metric-trends");
            await trends.GetByTestId("chart-as-table").ClickAsync();
            await Assertions.Expect(trends.GetByTestId("chart-table")).ToContainTextAsync("1.0.0 ★");
            await Assertions.Expect(trends.GetByTestId("chart-table")).Not.ToContainTextAsync("1.1.0 ★");
            await shell.ScreenshotAsync("asset-after-rollback");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("lifecycle-failure");
            throw;
        }
    }

    [Fact]
    public async Task Only_a_platform_admin_lifts_an_alias_protection_and_a_team_admin_protects_it_again()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            // Tomás administers Marketing: he may protect an alias, not lift a protection.
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/churn-classifier", "Tomás Lindqvist");
            await Assertions.Expect(page.GetByTestId("alias-chip").Filter(new() { HasText = "champion" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Lift the protection of champion" })).ToHaveCountAsync(0);
            await shell.SignOutAsync();

            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/churn-classifier", "Pat Nakamura");
            await page.GetByRole(AriaRole.Button, new() { Name = "Lift the protection of champion" }).ClickAsync();
            await shell.ScreenshotAsync("alias-lift-protection");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Lift protection" }).ClickAsync();
            await Assertions.Expect(page.GetByText("champion is no longer protected.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Lift the protection of champion" })).ToHaveCountAsync(0);
            await shell.SignOutAsync();

            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/churn-classifier", "Tomás Lindqvist");
            await page.GetByRole(AriaRole.Button, new() { Name = "Protect champion" }).ClickAsync();
            await Assertions.Expect(page.GetByText("champion is protected: it moves only through the gate.")).ToBeVisibleAsync();
            await shell.ScreenshotAsync("alias-protected-again");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("alias-protection-failure");
            throw;
        }
    }
}
