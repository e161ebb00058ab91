using System.Net;
using System.Text.RegularExpressions;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>An HttpClient that behaves like a browser against a real-port portal: cookies, and the embedded IdP's sign-in form.</summary>
internal static partial class OidcBrowser
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    public static HttpClient Create(PortalApp app, CookieContainer? cookies = null, bool followRedirects = true) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = followRedirects })
        {
            BaseAddress = new Uri(app.RootUrl),
        };

    /// <summary>The antiforgery token in a page's form, as a browser would submit it.</summary>
    public static string AntiforgeryToken(string html) => WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    /// <summary>Opens a page, lands on the provider's sign-in page, picks the demo user, returns to the page.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string path, string subject)
    {
        var login = await browser.GetAsync(path);
        var html = await login.Content.ReadAsStringAsync();
        Assert.Contains("/dev-idp/login", login.RequestMessage!.RequestUri!.AbsolutePath);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value),
            ["subject"] = subject,
        });
        return await browser.PostAsync("/dev-idp/login", form);
    }
}
