using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>Golden checks in the browser on the demo registry: a contributor runs one and sees its history; a team admin's form explains its errors.</summary>
public sealed class GoldenCheckTests(GoldenBrowserFixture fixture) : IClassFixture<GoldenBrowserFixture>
{
    [Fact]
    public async Task Contributor_runs_a_golden_check_sees_the_chart_grow_and_finds_the_run_on_the_jobs_page()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/churn-classifier", "Maya Contreras");
            var check = page.GetByTestId("check-holdout");
            // The demo's first runs (1.0.0 and 1.1.0) were queued at seeding; the page shows them once both have run.
            var rows = check.GetByTestId("chart-table").Locator("tbody tr");
            for (var i = 0; i < 60; i++)
            {
                if (await check.GetByTestId("chart-as-table").CountAsync() > 0)
                {
                    await check.GetByTestId("chart-as-table").ClickAsync();
                    if (await rows.CountAsync() >= 2)
                        break;
                }
                await page.WaitForTimeoutAsync(1000);
                await page.ReloadAsync();
                await shell.WaitForInteractiveAsync();
            }
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await Assertions.Expect(check.GetByTestId("chart-table")).ToContainTextAsync("1.1.0");
            await check.GetByTestId("chart-as-table").ClickAsync();
            await Assertions.Expect(check.GetByTestId("check-latest")).ToContainTextAsync("Passed on");
            await Assertions.Expect(check.GetByTestId("metric-chart").First).ToBeVisibleAsync();

            await check.GetByTestId("run-check").ClickAsync();
            await Assertions.Expect(check.GetByTestId("check-running")).ToBeVisibleAsync();
            await Assertions.Expect(check.GetByTestId("check-running")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await Assertions.Expect(check.GetByTestId("metric-chart").First.Locator("svg").First).ToBeAttachedAsync();
            await shell.ScreenshotAsync("golden-check-history");
            await check.GetByTestId("chart-as-table").ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(3);
            await Assertions.Expect(check.GetByTestId("check-latest")).ToContainTextAsync("Passed on 1.1.0");

            await page.GotoAsync("/teams/marketing/jobs");
            await shell.WaitForInteractiveAsync();
            var jobs = page.GetByTestId("jobs-table");
            await Assertions.Expect(jobs).ToContainTextAsync("churn-classifier 1.1.0 · holdout");
            await Assertions.Expect(jobs).ToContainTextAsync("on-demand · Maya Contreras");
            await Assertions.Expect(jobs.GetByTestId("job-state").First).ToHaveTextAsync("Succeeded");
            await shell.ScreenshotAsync("golden-check-jobs");

            await page.GotoAsync("/teams/marketing/assets/iris-classifier/versions/1.0.0");
            await shell.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics", Exact = false }).ClickAsync();
            var results = page.GetByTestId("version-golden");
            await Assertions.Expect(results).ToContainTextAsync("Failed");
            await Assertions.Expect(results).ToContainTextAsync("mlnet");
            await shell.ScreenshotAsync("golden-check-version-results");
        }
        catch
        {
            await shell.ScreenshotFailureAsync("golden-check-failure");
            throw;
        }
    }

    [Fact]
    public async Task Team_admin_defining_a_check_with_missing_fields_sees_each_problem_and_nothing_is_saved()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/teams/marketing/assets/iris-classifier", "Tomás Lindqvist");
            await page.GetByTestId("new-check").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("Name").FillAsync("nightly");
            await dialog.GetByLabel("Dataset asset").FillAsync("no-such-data");
            await dialog.GetByLabel("Dataset asset").PressAsync("Tab");
            await dialog.GetByTestId("save-check").ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("This team has no dataset asset 'no-such-data'.");
            await Assertions.Expect(dialog).ToContainTextAsync("Choose at least one metric.");
            await Assertions.Expect(dialog).ToContainTextAsync("The column holding the true class or value.");
            await shell.ScreenshotAsync("golden-check-form-errors");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("check-nightly")).ToHaveCountAsync(0);
        }
        catch
        {
            await shell.ScreenshotFailureAsync("golden-check-form-failure");
            throw;
        }
    }
}

/// <summary>The browser fixture with the demo's golden runs at start-up, as on the embedded default.</summary>
public sealed class GoldenBrowserFixture() : BrowserFixture(goldenRuns: true);
