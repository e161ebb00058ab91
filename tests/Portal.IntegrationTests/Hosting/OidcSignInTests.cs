using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

public sealed class RealPortPortal() : PortalApp(DatabaseProvider.Sqlite, realPort: true);

/// <summary>The whole authorization-code + PKCE flow over real HTTP against the embedded identity provider.</summary>
public sealed class OidcSignInTests(RealPortPortal app) : IClassFixture<RealPortPortal>
{
    private HttpClient Browser() => OidcBrowser.Create(app);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string path, string subject) => OidcBrowser.SignInAsync(browser, path, subject);

    [Fact]
    public async Task Contributor_signs_in_through_the_code_flow_and_sees_the_workspace()
    {
        using var browser = Browser();

        var page = await SignInAsync(browser, "/teams/marketing", "u-maya");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/teams/marketing", page.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Maya Contreras", html);
        Assert.Contains("Marketing", html);
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.Subject == "u-maya");
        Assert.Equal(app.RootUrl + "/", user.Issuer);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "user.signed-in" && e.ActorId == user.Id.ToString()));
    }

    [Fact]
    public async Task Member_of_one_team_gets_404_for_another_teams_pages()
    {
        using var browser = Browser();
        await SignInAsync(browser, "/", "u-maya");

        var finance = await browser.GetAsync("/teams/finance");
        var financeMembers = await browser.GetAsync("/teams/finance/members");

        Assert.Equal(HttpStatusCode.NotFound, finance.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, financeMembers.StatusCode);
        Assert.DoesNotContain("Forecasting", await finance.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Viewer_gets_403_for_team_settings()
    {
        using var browser = Browser();
        await SignInAsync(browser, "/", "u-victor");

        var settings = await browser.GetAsync("/teams/marketing/settings");

        Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);
        Assert.Contains("You don&#x27;t have access to this", await settings.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/teams/marketing")]
    [InlineData("/jobs")]
    [InlineData("/profile")]
    public async Task Anonymous_visitor_is_sent_to_the_identity_provider_with_pkce_and_nonce(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.RootUrl) };

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(app.RootUrl + "/connect/authorize?", location);
        Assert.Contains("code_challenge_method=S256", location);
        Assert.Contains("nonce=", location);
        Assert.Contains("response_type=code", location);
    }

    [Fact]
    public async Task Auditor_reads_every_team_but_not_the_jobs_dashboard()
    {
        using var browser = Browser();
        await SignInAsync(browser, "/", "u-aude");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/teams/finance")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task Platform_admin_opens_the_jobs_dashboard()
    {
        using var browser = Browser();
        await SignInAsync(browser, "/", "u-pat");

        var jobs = await browser.GetAsync("/jobs/recurring");

        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Contains("record-expired-api-tokens", await jobs.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Disabled_user_loses_an_open_session_on_the_next_request()
    {
        using var browser = Browser();
        await SignInAsync(browser, "/", "u-felix");
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Subject == "u-felix");
            user.IsDisabled = true;
            await db.SaveChangesAsync();
        }

        var page = await browser.GetAsync("/teams/finance");

        // The session is gone: the portal sends the browser back to the identity provider, whose sign-in is refused.
        Assert.NotEqual("/teams/finance", page.RequestMessage!.RequestUri!.AbsolutePath);
    }
}
