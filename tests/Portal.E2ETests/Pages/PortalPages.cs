using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.E2ETests.Pages;

/// <summary>Full-page navigations: the sign-in flow's redirects, sign-out, links that leave the interactive app.</summary>
public static class Navigation
{
    /// <summary>
    /// Waits until the browser has committed to the address, not for its load event: each test's next step waits for the element it
    /// needs, and a load event held back by a slow request (once 20 s on the sign-in page in CI, with the page already there) says
    /// nothing about the page the test reads.
    /// </summary>
    public static Task WaitForAddressAsync(this IPage page, string url, float? timeout = null) =>
        page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout });
}

/// <summary>The development identity provider's sign-in page.</summary>
public sealed class DevSignInPage(IPage page)
{
    public async Task SignInAsAsync(string displayName)
    {
        await page.WaitForAddressAsync("**/dev-idp/login**");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in as {displayName}" }).ClickAsync();
    }

    /// <summary>Opens a page as an anonymous visitor, signs in as the demo user through the real flow, and waits for the page to be live.</summary>
    public async Task OpenAsAsync(string path, string displayName)
    {
        // The first page of a class may meet a server still busy starting (the demo's golden runs load ML.NET and ONNX Runtime) and
        // goes through the sign-in redirects: it gets more than one action's time.
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await SignInAsAsync(displayName);
        await page.WaitForAddressAsync(path == "/" ? new Uri(page.Url).GetLeftPart(UriPartial.Authority) + "/" : "**" + path);
        await new PortalShell(page).WaitForInteractiveAsync();
    }
}

/// <summary>The portal's frame: app bar, user menu, navigation.</summary>
public sealed class PortalShell(IPage page)
{
    public ILocator UserMenu => page.GetByTestId("user-menu");
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>
    /// Waits for a navigation the app makes itself by polling the address. Blazor changes the URL within the document, so no
    /// "load" event follows; and waiting for the navigation event itself timed out once in CI with the page already at the
    /// address (the failure screenshot showed it). The address is what the test needs, so the address is what is awaited.
    /// </summary>
    public Task WaitForAppNavigationAsync(string urlGlob) => Assertions.Expect(page).ToHaveURLAsync(GlobPattern(urlGlob));

    // "**" matches anything, "*" anything but a slash, as in Playwright's own URL globs.
    private static Regex GlobPattern(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$");

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
