using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>A TeamAdmin previews what the rule would archive, runs it, and finds the version among the archived ones.</summary>
public sealed class ArchivingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Team_admin_previews_the_stale_demo_dataset_and_archives_exactly_it()
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
        }
        catch
        {
            await shell.ScreenshotFailureAsync("archiving-failure");
            throw;
        }
    }
}
