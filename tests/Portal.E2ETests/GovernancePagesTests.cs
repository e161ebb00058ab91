using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>The governance pages of this wave, as the people they are for open them after a real sign-in.</summary>
public sealed class GovernancePagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Approver_home_says_what_waits_auditor_reads_security_events_team_admin_sees_storage_other_team_is_not_found()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/", "Amara Obi");
            await Assertions.Expect(page.GetByTestId("waiting-approvals")).ToContainTextAsync("1 transition request waits");
            await Assertions.Expect(page.GetByTestId("activity").GetByRole(AriaRole.Link, new() { Name = "churn-classifier 1.1.0" }).First).ToBeVisibleAsync();
            await shell.ScreenshotAsync("home-approver");
            await shell.SignOutAsync();

            await new DevSignInPage(page).OpenAsAsync("/admin/security-events", "Aude Laurent");
            await Assertions.Expect(shell.Heading).ToHaveTextAsync("Security events");
            await Assertions.Expect(page.GetByTestId("security-events-table")).ToBeVisibleAsync();
            await shell.ScreenshotAsync("security-events");
            await shell.SignOutAsync();

            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/settings", "Tomás Lindqvist");
            await Assertions.Expect(page.GetByTestId("storage-usage")).ToBeVisibleAsync();
            await shell.ScreenshotAsync("team-settings-storage");
            await shell.SignOutAsync();

            await new DevSignInPage(page).OpenAsAsync("/teams/finance/assets/credit-risk-scorer/versions/3.2.0", "Maya Contreras");
            await Assertions.Expect(page.GetByTestId("status-title")).ToHaveTextAsync("Not found");
            await shell.ScreenshotAsync("other-team-version-refused");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("governance-pages-failure");
            throw;
        }
    }
}
