using Microsoft.Playwright;

namespace Portal.E2ETests.Pages;

/// <summary>The development identity provider's sign-in page.</summary>
public sealed class DevSignInPage(IPage page)
{
    public async Task SignInAsAsync(string displayName)
    {
        await page.WaitForURLAsync("**/dev-idp/login**");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in as {displayName}" }).ClickAsync();
    }

    /// <summary>Opens a page as an anonymous visitor, signs in as the demo user through the real flow, and waits for the page to be live.</summary>
    public async Task OpenAsAsync(string path, string displayName)
    {
        await page.GotoAsync(path);
        await SignInAsAsync(displayName);
        await page.WaitForURLAsync(path == "/" ? new Uri(page.Url).GetLeftPart(UriPartial.Authority) + "/" : "**" + path);
        await new PortalShell(page).WaitForInteractiveAsync();
    }
}

/// <summary>The portal's frame: app bar, user menu, navigation.</summary>
public sealed class PortalShell(IPage page)
{
    public ILocator UserMenu => page.GetByTestId("user-menu");
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>
    /// Waits for a navigation the app makes itself: Blazor changes the URL within the document, so no "load" event follows,
    /// and waiting for one timed out when the URL had already changed. Only the URL is awaited.
    /// </summary>
    public Task WaitForAppNavigationAsync(string urlGlob) => page.WaitForURLAsync(urlGlob, new() { WaitUntil = WaitUntilState.Commit });

    /// <summary>Waits until the interactive circuit is up, so clicks reach their handlers.</summary>
    public async Task WaitForInteractiveAsync()
    {
        await page.Locator("#portal-ready[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public async Task SignOutAsync()
    {
        await UserMenu.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
    }

    /// <summary>Saves the page as a PNG to look at and checks it against WCAG 2.1 AA: every page a browser test shows is checked.</summary>
    public async Task ScreenshotAsync(string name)
    {
        await ScreenshotFailureAsync(name);
        await Accessibility.AssertAccessibleAsync(page, name);
    }

    /// <summary>Only the picture: for the moment a test fails, so the original failure is what it reports.</summary>
    public Task ScreenshotFailureAsync(string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png"), FullPage = true });
}
