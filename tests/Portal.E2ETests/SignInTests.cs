using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

public sealed class SignInTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static async Task<T> WithScreenshotOnFailure<T>(IPage page, string name, Func<Task<T>> test)
    {
        try
        {
            return await test();
        }
        catch
        {
            await new PortalShell(page).ScreenshotFailureAsync("FAILED-" + name);
            throw;
        }
    }

    [Fact]
    public async Task Marketing_contributor_signs_in_sees_the_workspace_is_refused_finance_and_signs_out()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        await WithScreenshotOnFailure(page, "contributor", async () =>
        {
            await new DevSignInPage(page).OpenAsAsync("/", "Maya Contreras");
            await Assertions.Expect(shell.Heading).ToContainTextAsync("Welcome, Maya Contreras");
            await Assertions.Expect(page.GetByTestId("team-card")).ToHaveCountAsync(1);
            await shell.ScreenshotAsync("home-contributor");

            await page.GetByRole(AriaRole.Link, new() { Name = "Marketing", Exact = true }).First.ClickAsync();
            await page.WaitForAddressAsync("**/teams/marketing");
            await Assertions.Expect(shell.Heading).ToHaveTextAsync("Marketing");
            await Assertions.Expect(page.GetByTestId("role-chip").First).ToHaveTextAsync("Contributor");
            await shell.ScreenshotAsync("workspace-marketing");

            var finance = await page.GotoAsync("/teams/finance");
            Assert.Equal(404, finance!.Status);
            await Assertions.Expect(page.GetByTestId("status-title")).ToHaveTextAsync("Not found");
            await shell.ScreenshotAsync("finance-refused");

            await page.GotoAsync("/teams/marketing/members");
            await shell.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("members-table")).ToContainTextAsync("Maya Contreras");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Grant a role" })).ToHaveCountAsync(0);

            await shell.SignOutAsync();
            await page.WaitForAddressAsync("**/account/signed-out");
            await Assertions.Expect(shell.Heading).ToHaveTextAsync("You are signed out");
            await page.GotoAsync("/teams/marketing", new() { WaitUntil = WaitUntilState.Commit });
            await page.WaitForAddressAsync("**/dev-idp/login**");
            return true;
        });
    }

    [Fact]
    public async Task Team_admin_grants_a_role_and_issues_an_api_token_shown_once()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        await WithScreenshotOnFailure(page, "team-admin", async () =>
        {
            // Victor must have signed in once before he can be granted a role.
            var victor = await fixture.NewPageAsync();
            await victor.GotoAsync("/");
            await new DevSignInPage(victor).SignInAsAsync("Victor Hale");
            await victor.WaitForAddressAsync(fixture.App.RootUrl + "/");

            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/members", "Tomás Lindqvist");

            await page.GetByRole(AriaRole.Button, new() { Name = "Grant a role" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("E-mail").FillAsync("victor@example.com");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Grant" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("members-table")).ToContainTextAsync("granted by Tomás Lindqvist");

            await page.GetByRole(AriaRole.Button, new() { Name = "New token" }).ClickAsync();
            dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("Name").FillAsync("churn-training-pipeline");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
            var secret = await dialog.GetByLabel("Token").InputValueAsync();
            Assert.StartsWith("ptk_", secret);
            await shell.ScreenshotAsync("token-issued");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("tokens-table")).ToContainTextAsync("churn-training-pipeline");
            await Assertions.Expect(page.GetByTestId("tokens-table")).Not.ToContainTextAsync(secret);
            await shell.ScreenshotAsync("members-marketing");

            using var api = new HttpClient { BaseAddress = new Uri(fixture.App.RootUrl) };
            api.DefaultRequestHeaders.Authorization = new("Bearer", secret);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/teams/marketing")).StatusCode);
            return true;
        });
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_open_page_within_the_revalidation_interval()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        await WithScreenshotOnFailure(page, "disabled", async () =>
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/finance", "Grace Kim");

            // A platform admin disables Grace on the Users page, in another browser.
            var admin = await fixture.NewPageAsync();
            await new DevSignInPage(admin).OpenAsAsync("/admin/users", "Pat Nakamura");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Disable Grace Kim" }).ClickAsync();
            await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
            await Assertions.Expect(admin.GetByTestId("users-table")).ToContainTextAsync("Disabled");
            await new PortalShell(admin).ScreenshotAsync("admin-users");

            // Nobody touches the page: the circuit's revalidation notices and the reload ends at the refusal.
            await page.WaitForAddressAsync("**/account/sign-in-failed**", 30_000);
            await Assertions.Expect(page.GetByTestId("reason")).ToContainTextAsync("disabled");
            return true;
        });
    }
}
