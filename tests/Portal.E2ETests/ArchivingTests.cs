using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>A TeamAdmin previews what the rule would archive, runs it, and finds the version among the archived ones.</summary>
public sealed class ArchivingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Team_admin_previews_and_archives_the_stale_demo_dataset_then_restores_holds_and_finally_purges_it()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/archiving", "Tomás Lindqvist");
            await Assertions.Expect(page.GetByTestId("archived-empty")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
            var dryRun = page.GetByTestId("dry-run");
            await Assertions.Expect(dryRun).ToContainTextAsync("customer-churn-data");
            await Assertions.Expect(dryRun).ToContainTextAsync("0.9.0");
            await Assertions.Expect(dryRun).ToContainTextAsync("never downloaded");
            await Assertions.Expect(dryRun.Locator("tbody tr")).ToHaveCountAsync(1);
            await shell.ScreenshotAsync("archiving-dry-run");

            await page.GetByRole(AriaRole.Button, new() { Name = "Archive 1 version(s)" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("archive-run")).ToContainTextAsync("succeeded", new() { Timeout = 30_000 });
            var archived = page.GetByTestId("archived");
            await Assertions.Expect(archived).ToContainTextAsync("customer-churn-data");
            await Assertions.Expect(archived).ToContainTextAsync("1 of 1");
            await Assertions.Expect(page.GetByTestId("dry-run-summary")).ToContainTextAsync("no version would be archived");
            await shell.ScreenshotAsync("archiving-after-run");

            await page.GotoAsync(fixture.App.RootUrl + "/teams/marketing/assets/customer-churn-data/versions/0.9.0");
            await shell.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Lifecycle" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("version-archived")).ToContainTextAsync("1 file(s) wait in the cold store");
            await shell.ScreenshotAsync("archiving-version-archived");
            await page.GetByTestId("version-archived").GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Restored: 1 file(s) back", new() { Exact = false })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Lifecycle" }).ClickAsync();
            await page.GetByLabel("Reason").Last.FillAsync("Customer dispute 2026-114");
            await page.GetByRole(AriaRole.Button, new() { Name = "Set legal hold" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("legal-hold")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("version-archived")).ToHaveCountAsync(0);
            await shell.ScreenshotAsync("archiving-version-restored-held");

            // Cleared again, archived under a rule with no retention, and purged through the dialog that asks for its name.
            await page.GetByLabel("Reason").Last.FillAsync("Dispute settled");
            await page.GetByRole(AriaRole.Button, new() { Name = "Clear legal hold" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("legal-hold")).ToHaveCountAsync(0);
            await page.GotoAsync(fixture.App.RootUrl + "/teams/marketing/archiving");
            await shell.WaitForInteractiveAsync();
            await page.GetByLabel("Not downloaded for (days)").FillAsync("0");
            await page.GetByLabel("Retention before purge (days)").FillAsync("0");
            await page.GetByLabel("Retention before purge (days)").PressAsync("Tab");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("rule-source")).ToHaveTextAsync("This team's rule");
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("dry-run").Locator("tbody tr")).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Button, new() { Name = "Archive 1 version(s)" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("archived")).ToContainTextAsync("customer-churn-data", new() { Timeout = 30_000 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Purge customer-churn-data 0.9.0" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            var purge = dialog.GetByRole(AriaRole.Button, new() { Name = "Purge for good" });
            await Assertions.Expect(purge).ToBeDisabledAsync();
            await dialog.GetByLabel("Type customer-churn-data/0.9.0 to confirm").FillAsync("customer-churn-data/0.9.0");
            await shell.ScreenshotAsync("archiving-purge-dialog");
            await purge.ClickAsync();
            await Assertions.Expect(page.GetByTestId("archived-empty")).ToBeVisibleAsync();
            await shell.ScreenshotAsync("archiving-purged");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("archiving-failure");
            throw;
        }
    }
}
