using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>A TeamAdmin edits a policy in the browser: a mistake is shown where it is, a valid save is a new revision.</summary>
public sealed class PolicyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Team_admin_sees_a_located_error_then_saves_a_new_revision()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/policies", "Tomás Lindqvist");
            await Assertions.Expect(page.GetByText("marketing-production").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("production-minimum").First).ToBeVisibleAsync();
            await shell.ScreenshotAsync("team-policies");

            await page.GotoAsync(fixture.App.RootUrl + "/teams/marketing/policies/marketing-production");
            await shell.WaitForInteractiveAsync();
            var editor = page.Locator(".policy-yaml textarea").First;
            var original = await editor.InputValueAsync();
            await editor.FillAsync(original.Replace("- metric: accuracy", "- metrc: accuracy", StringComparison.Ordinal));
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).First.ClickAsync();
            await Assertions.Expect(page.GetByText("unknown rule kind 'metrc'", new() { Exact = false }).First).ToBeVisibleAsync();
            await shell.ScreenshotAsync("policy-editor-error");

            await editor.FillAsync(original.Replace("baseline + 0.01", "baseline + 0.02", StringComparison.Ordinal));
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).First.ClickAsync();
            await Assertions.Expect(page.GetByText("Revision 2", new() { Exact = false }).First).ToBeVisibleAsync();
            await shell.ScreenshotAsync("policy-editor-saved");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("policy-failure");
            throw;
        }
    }
}
