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
        page.PageError += (_, error) => errors.Add(error);
        // blazor.web.js asks for a circuit's initializers as soon as it starts, if the page wants a circuit: within seconds or never.
        var hubRequest = page.WaitForRequestAsync(request => new Uri(request.Url).AbsolutePath.StartsWith("/_blazor", StringComparison.Ordinal),
            new() { Timeout = 5_000 });

        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByText(text).First).ToBeVisibleAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => hubRequest);
        Assert.Empty(errors);
        await Assertions.Expect(page.GetByRole(AriaRole.Link).First).ToBeVisibleAsync();
        // Nothing on a static page waits for a circuit: the drawer's toggle is shown only to people who are signed in.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" })).ToHaveCountAsync(0);
    }
}
