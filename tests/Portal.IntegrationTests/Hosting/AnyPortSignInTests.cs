using System.Net;
using Portal.Infrastructure.Data;
using Portal.Testing;
using Portal.Web.Hosting;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Told only where to listen, like <c>dotnet run --urls http://127.0.0.1:N</c>: no public URL is set.</summary>
public sealed class ListenAddressOnlyPortal() : PortalApp(DatabaseProvider.Sqlite, realPort: true, publicUrlFromListenAddress: true);

/// <summary>The embedded default on a port other than 5080: the development identity provider follows the port.</summary>
public sealed class AnyPortSignInTests(ListenAddressOnlyPortal app) : IClassFixture<ListenAddressOnlyPortal>
{
    [Fact]
    public async Task Sign_in_works_on_another_port_without_a_public_url_set()
    {
        using var browser = OidcBrowser.Create(app);

        var page = await OidcBrowser.SignInAsync(browser, "/teams/marketing", "u-maya");

        Assert.NotEqual(5080, new Uri(app.RootUrl).Port);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(app.RootUrl + "/teams/marketing", page.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Path));
        Assert.Contains("Maya Contreras", await page.Content.ReadAsStringAsync());
        Assert.Equal(app.RootUrl, app.Service<PortalSettings>().Portal.PublicUrl);
    }

    [Fact]
    public async Task The_identity_providers_issuer_is_the_listen_address()
    {
        using var browser = OidcBrowser.Create(app);

        var discovery = await browser.GetStringAsync("/.well-known/openid-configuration");

        Assert.Contains($"\"issuer\": \"{app.RootUrl}/\"", discovery.Replace("\":\"", "\": \""));
        Assert.Contains($"{app.RootUrl}/connect/authorize", discovery);
    }
}
