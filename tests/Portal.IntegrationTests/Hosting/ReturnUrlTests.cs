using System.Net;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>After sign-in only local paths are followed, whatever the encoding; anything else goes home, never a 500.</summary>
public sealed class ReturnUrlTests(RealPortPortal app) : IClassFixture<RealPortPortal>
{
    private async Task<HttpClient> SignedInAsync()
    {
        var cookies = new CookieContainer();
        using var browser = OidcBrowser.Create(app, cookies);
        await OidcBrowser.SignInAsync(browser, "/", "u-maya");
        return OidcBrowser.Create(app, cookies, followRedirects: false);
    }

    // Each value is sent as is in the query string, so the percent-encodings reach the portal's decoder.
    public static TheoryData<string> Hostile =>
    [
        "https://evil.example/",
        "https%3A%2F%2Fevil.example%2F",
        "//evil.example",
        "%2F%2Fevil.example",
        "/%2Fevil.example",
        "%2F%5Cevil.example",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "/%09/evil.example",
        "%2F%0A%2Fevil.example",
        "/%0D%0ALocation:%20https://evil.example",
        "/%00/evil.example",
        "/%7F/evil.example",
        "%20//evil.example",
        "/%E2%80%AE/evil.example",
        "/%E2%80%A8/evil.example",
        "%252F%252Fevil.example",
        "javascript:alert(1)",
        "evil.example",
        "/%C2%85/evil.example",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Return_url_that_could_leave_the_portal_sends_a_signed_in_user_home(string returnUrl)
    {
        using var browser = await SignedInAsync();

        var response = await browser.GetAsync("/account/sign-in?returnUrl=" + returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Return_url_that_could_leave_the_portal_never_breaks_the_sign_in_challenge(string returnUrl)
    {
        using var anonymous = OidcBrowser.Create(app, followRedirects: false);

        var response = await anonymous.GetAsync("/account/sign-in?returnUrl=" + returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(app.RootUrl + "/connect/authorize?", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/teams/marketing", "/teams/marketing")]
    [InlineData("%2Fteams%2Fmarketing%2Fmembers", "/teams/marketing/members")]
    [InlineData("%2Fteams%2Fmarketing%2Fassets%3Fkind%3DModel%26tag%3Dchurn", "/teams/marketing/assets?kind=Model&tag=churn")]
    [InlineData("/teams/marketing/assets/%C3%A9t%C3%A9", "/teams/marketing/assets/%C3%A9t%C3%A9")]
    public async Task Local_return_url_is_followed(string returnUrl, string expected)
    {
        using var browser = await SignedInAsync();

        var response = await browser.GetAsync("/account/sign-in?returnUrl=" + returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }
}
