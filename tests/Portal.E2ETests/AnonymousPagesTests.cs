using Microsoft.Playwright;

namespace Portal.E2ETests;

/// <summary>Pages an anonymous visitor can reach render without a circuit (whose hub asks for sign-in) and without a script error.</summary>
public sealed class AnonymousPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("/account/signed-out", "You are signed out")]
    [InlineData("/account/sign-in-failed", "Sign-in did not complete")]
    [InlineData("/not-found", "Not found")]
    [InlineData("/status/404", "Not found")]
    public async Task An_anonymous_page_shows_its_message_without_a_script_error_or_a_circuit(string path, string text)
    {
        var page = await fixture.NewPageAsync();
        var errors = new List<string>();
        var hubRequests = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.StartsWith("/_blazor", StringComparison.Ordinal))
                hubRequests.Add(request.Url);
        };

        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByText(text).First).ToBeVisibleAsync();
        // blazor.web.js fetches a circuit's initializers as soon as it loads: by network idle it has asked, if the page wanted one.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Empty(errors);
        Assert.Empty(hubRequests);
        await Assertions.Expect(page.GetByRole(AriaRole.Link).First).ToBeVisibleAsync();
        // Nothing on a static page waits for a circuit: the drawer's toggle is shown only to people who are signed in.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" })).ToHaveCountAsync(0);
    }
}
