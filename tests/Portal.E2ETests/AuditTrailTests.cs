using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Audit;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>An auditor reads the log, narrows it, opens an event's changes, and verifies the chain against a signed checkpoint.</summary>
public sealed class AuditTrailTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Auditor_filters_the_log_opens_a_change_and_verifies_the_chain()
    {
        await using (var scope = fixture.App.Services.CreateAsyncScope())
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<AuditTrailService>().SignCheckpointAsync(CancellationToken.None));
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/audit", "Aude Laurent");
            await Assertions.Expect(shell.Heading).ToHaveTextAsync("Audit trail");
            await Assertions.Expect(page.GetByTestId("audit-checkpoints")).ToBeVisibleAsync();
            // The first row once the events are in, not the loading placeholder.
            await Assertions.Expect(page.GetByTestId("audit-table").Locator("tbody tr").First).ToContainTextAsync(".");
            await Assertions.Expect(page.GetByTestId("audit-table")).Not.ToContainTextAsync("Loading events");
            await shell.ScreenshotAsync("audit-log");

            await page.GetByLabel("Action", new() { Exact = true }).FillAsync("transition");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            var rows = page.GetByTestId("audit-table").Locator("tbody tr");
            await Assertions.Expect(rows.First).ToContainTextAsync("transition.");
            foreach (var text in await rows.AllInnerTextsAsync())
                Assert.Contains("transition.", text);

            await rows.First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("audit-event-detail")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("audit-diff")).Not.ToBeEmptyAsync();
            await shell.ScreenshotAsync("audit-event-diff");

            await page.GetByRole(AriaRole.Button, new() { Name = "Verify chain now" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("audit-verification-status")).ToHaveTextAsync("Intact");
            // At least the checkpoint signed above: the quarter-hourly checkpoint job may add one while the test runs.
            await Assertions.Expect(page.GetByTestId("audit-verification-message"))
                .ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"is intact and matches [1-9]\d* signed checkpoints?\."));
            await shell.ScreenshotAsync("audit-verified");
        }
        catch
        {
            await shell.ScreenshotAsync("audit-trail-failure");
            throw;
        }
    }
}
