using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Sign-out needs the antiforgery token, refused sign-ins are explained in the portal's words and recorded, revocations bite at once.</summary>
public sealed class SignInAndOutTests(RealPortPortal app) : IClassFixture<RealPortPortal>
{
    private async Task<CookieContainer> SignedInAsync(string subject)
    {
        var cookies = new CookieContainer();
        using var browser = OidcBrowser.Create(app, cookies);
        await OidcBrowser.SignInAsync(browser, "/", subject);
        return cookies;
    }

    private async Task<PortalDbContext> DbAsync() => await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private async Task<CallerAccess> PlatformAdminAsync() =>
        await app.CallerAsync(await app.SignInAsync($"pat-{Guid.NewGuid():N}", "Platform Admin", "portal-admins"));

    private async Task<Guid> UserIdAsync(string subject)
    {
        await using var db = await DbAsync();
        return await db.Users.Where(u => u.Subject == subject).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task Sign_out_without_an_antiforgery_token_is_refused_and_the_session_stays()
    {
        var cookies = await SignedInAsync("u-amara");
        using var noRedirects = OidcBrowser.Create(app, cookies, followRedirects: false);

        var signOut = await noRedirects.PostAsync("/account/sign-out", new FormUrlEncodedContent([]));
        var profile = await noRedirects.GetAsync("/profile");

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
    }

    [Fact]
    public async Task Sign_out_with_an_antiforgery_token_ends_the_session()
    {
        var cookies = await SignedInAsync("u-grace");
        using var browser = OidcBrowser.Create(app, cookies);
        using var noRedirects = OidcBrowser.Create(app, cookies, followRedirects: false);
        // Any form the portal renders for this person carries a token bound to them; the IdP's page is the simplest to read.
        var token = OidcBrowser.AntiforgeryToken(await (await browser.GetAsync("/dev-idp/login")).Content.ReadAsStringAsync());

        var signOut = await noRedirects.PostAsync("/account/sign-out", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        var profile = await noRedirects.GetAsync("/profile");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, profile.StatusCode);
        Assert.StartsWith(app.RootUrl + "/connect/authorize?", profile.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Sign_in_error_page_shows_only_the_portals_own_words()
    {
        using var browser = OidcBrowser.Create(app);

        var html = await browser.GetStringAsync("/account/sign-in-failed?code=Call%200800-FAKE-DESK&reason=Call%200800-FAKE-DESK");

        Assert.DoesNotContain("0800-FAKE-DESK", html);
        Assert.Contains("The identity provider did not confirm who you are.", html);
    }

    [Fact]
    public async Task Disabled_user_is_refused_at_sign_in_with_the_portals_message_and_a_security_event()
    {
        await SignedInAsync("u-felix");
        await using (var db = await DbAsync())
        {
            await db.Users.Where(u => u.Subject == "u-felix").ExecuteUpdateAsync(u => u.SetProperty(x => x.IsDisabled, true));
        }
        using var browser = OidcBrowser.Create(app);

        var page = await OidcBrowser.SignInAsync(browser, "/", "u-felix");

        Assert.Equal("/account/sign-in-failed", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("?code=user.disabled", page.RequestMessage.RequestUri.Query);
        Assert.Contains("Your account is disabled in the portal.", await page.Content.ReadAsStringAsync());
        await using var check = await DbAsync();
        var recorded = await check.SecurityEvents.SingleAsync(e => e.Action == "sign-in" && e.ActorId == "u-felix");
        Assert.StartsWith("user.disabled", recorded.Reason);
        Assert.Equal("127.0.0.1", recorded.ClientAddress);
    }

    [Fact]
    public async Task Forged_sign_in_callback_is_refused_explained_and_recorded()
    {
        using var browser = OidcBrowser.Create(app, followRedirects: false);

        var response = await browser.GetAsync("/signin-oidc?code=stolen&state=forged-state");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in-failed?code=sign-in.expired", response.Headers.Location!.OriginalString);
        await using var db = await DbAsync();
        Assert.True(await db.SecurityEvents.AnyAsync(e => e.Action == "sign-in" && e.ActorId == "anonymous" && e.Reason.StartsWith("sign-in.expired")));
    }

    [Fact]
    public async Task Disabling_a_signed_in_user_ends_their_session_on_the_next_request()
    {
        var cookies = await SignedInAsync("u-henrik");
        using var noRedirects = OidcBrowser.Create(app, cookies, followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("/teams/finance")).StatusCode);

        var disabled = await app.InScopeAsync<UserAdminService, Result>(async s => await s.SetDisabledAsync(await PlatformAdminAsync(), await UserIdAsync("u-henrik"), true));
        var next = await noRedirects.GetAsync("/teams/finance");

        Assert.True(disabled.IsSuccess);
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith(app.RootUrl + "/connect/authorize?", next.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Removing_a_membership_takes_effect_on_the_next_request()
    {
        var cookies = await SignedInAsync("u-farah");
        using var noRedirects = OidcBrowser.Create(app, cookies, followRedirects: false);
        var admin = await PlatformAdminAsync();
        var grant = await app.InScopeAsync<MembershipService, Result<MemberRole>>(s => s.GrantAsync(admin, "marketing", "farah@example.com", TeamRole.Viewer));
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("/teams/marketing")).StatusCode);

        await app.InScopeAsync<MembershipService, Result>(s => s.RevokeAsync(admin, "marketing", grant.Value.MembershipId));
        var next = await noRedirects.GetAsync("/teams/marketing");

        Assert.Equal(HttpStatusCode.NotFound, next.StatusCode);
    }
}
