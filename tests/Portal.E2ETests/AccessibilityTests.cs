using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>Every page of the portal, opened by someone allowed to see it, against axe-core's WCAG 2.1 AA rules.</summary>
public sealed class AccessibilityTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>Each route of the portal with a URL that shows it on the demo data, and who opens it.</summary>
    private static readonly (string Route, string Url, string? User)[] Pages =
    [
        ("/", "/", "Maya Contreras"),
        ("/impact", "/impact", "Maya Contreras"),
        ("/teams/{Team}", "/teams/marketing", "Maya Contreras"),
        ("/teams/{Team}/assets", "/teams/marketing/assets", "Maya Contreras"),
        ("/teams/{Team}/assets/{Asset}", "/teams/marketing/assets/churn-classifier", "Maya Contreras"),
        ("/teams/{Team}/assets/{Asset}/versions/{Version}", "/teams/marketing/assets/churn-classifier/versions/1.1.0", "Maya Contreras"),
        ("/teams/{Team}/assets/{Asset}/compare", "/teams/marketing/assets/iris-classifier/compare?versions=1.0.0,2.0.0,2.1.0", "Maya Contreras"),
        ("/profile", "/profile", "Maya Contreras"),
        ("/not-found", "/not-found", "Maya Contreras"),
        ("/status/{Code:int}", "/status/403", "Maya Contreras"),
        ("/teams/{Team}/members", "/teams/marketing/members", "Tomás Lindqvist"),
        ("/teams/{Team}/settings", "/teams/marketing/settings", "Tomás Lindqvist"),
        ("/teams/{Team}/archiving", "/teams/marketing/archiving", "Tomás Lindqvist"),
        ("/teams/{Team}/jobs", "/teams/marketing/jobs", "Maya Contreras"),
        ("/teams/{Team}/policies", "/teams/marketing/policies", "Tomás Lindqvist"),
        ("/teams/{Team}/policies/{Name}", "/teams/marketing/policies/marketing-production", "Tomás Lindqvist"),
        ("/approvals", "/approvals", "Amara Obi"),
        ("/approvals/{Id:long}", "", "Amara Obi"),
        ("/admin/policies", "/admin/policies", "Pat Nakamura"),
        ("/admin/policies/{Name}", "/admin/policies/production-minimum", "Pat Nakamura"),
        ("/admin/teams", "/admin/teams", "Pat Nakamura"),
        ("/admin/archiving", "/admin/archiving", "Pat Nakamura"),
        ("/admin/users", "/admin/users", "Pat Nakamura"),
        ("/admin/security-events", "/admin/security-events", "Aude Laurent"),
        ("/audit", "/audit", "Aude Laurent"),
        ("/audit/exports", "/audit/exports", "Aude Laurent"),
        ("/audit/exports/check", "/audit/exports/check", "Aude Laurent"),
        ("/account/signed-out", "/account/signed-out", null),
        ("/account/sign-in-failed", "/account/sign-in-failed", null),
    ];

    [Fact]
    public void Every_routed_page_of_the_portal_is_in_the_accessibility_walk()
    {
        var routes = typeof(Portal.Web.Components.App).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>()).Select(r => r.Template);
        Assert.Empty(routes.Except(Pages.Select(p => p.Route)));
    }

    [Fact]
    public async Task Every_page_passes_WCAG_2_1_AA_without_serious_or_critical_violations()
    {
        var failures = new List<string>();
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        await page.GotoAsync("/");
        await Check(page, "dev-idp-sign-in", failures);
        foreach (var group in Pages.GroupBy(p => p.User))
        {
            var signedIn = false;
            foreach (var (route, url, user) in group)
            {
                var name = "a11y" + (route == "/" ? "-home" : route.Replace("/", "-").Replace("{", "").Replace("}", "").Replace(":", "-"));
                if (user is null)
                    await page.GotoAsync(url);
                else if (!signedIn)
                {
                    await new DevSignInPage(page).OpenAsAsync(url.Length == 0 ? "/approvals" : url, user);
                    signedIn = true;
                }
                else
                {
                    await page.GotoAsync(url.Length == 0 ? "/approvals" : url);
                    await shell.WaitForInteractiveAsync();
                }
                if (url.Length == 0)
                {
                    // A request's id is not known before the demo data is seeded: open the first one in the queue.
                    await page.GetByTestId("approvals-table").GetByRole(AriaRole.Link).First.ClickAsync();
                    await Assertions.Expect(shell.Heading).ToContainTextAsync("Request");
                }
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await shell.ScreenshotFailureAsync(name);
                await Check(page, name, failures);
            }
            if (signedIn)
                await shell.SignOutAsync();
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task Check(IPage page, string name, List<string> failures)
    {
        try
        {
            await Accessibility.AssertAccessibleAsync(page, name);
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            failures.Add(e.Message);
        }
    }
}
