using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Common;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Core.Teams;
using Portal.IntegrationTests.Artifacts;
using Portal.IntegrationTests.Registry;
using Portal.Testing;

namespace Portal.IntegrationTests.GoldenChecks;

/// <summary>Formats the portal never deserializes are run by an external runner through the API, with a one-time ticket per run.</summary>
public sealed class ExternalRunnerTests(RealPortPortal app) : IClassFixture<RealPortPortal>
{
    private async Task<(HttpClient Client, string Token)> RunnerAsync(bool mayRecordEvidence = true)
    {
        var admin = await app.CallerAsync(await app.SignInAsync($"admin-{Guid.NewGuid():N}", "Admin", "marketing-admins"));
        var issued = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s =>
            s.CreateAsync(admin, "marketing", $"runner-{Guid.NewGuid():N}"[..16], TeamRole.Contributor, 30, mayRecordEvidence: mayRecordEvidence));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Value.Secret);
        return (client, issued.Value.Secret);
    }

    /// <summary>A version whose only file is a pickle: the portal plans its run for an external runner and never opens the file.</summary>
    private async Task<(GoldenScenario Scenario, JobRunView Run)> WaitingRunAsync()
    {
        var s = await GoldenScenario.CreateAsync(app, GoldenData.Iris(30, seed: 2).Bytes);
        await s.RegisterModelAsync("1.0.0", ("model.pkl", "\u0080\u0004pickled"u8.ToArray()));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        var run = await s.StartAsync("1.0.0");
        Assert.True(run.External);
        Assert.Equal(JobRunState.Queued, run.State);
        return (s, run);
    }

    [Fact]
    public async Task A_runner_claims_fetches_by_digest_and_posts_figures_that_are_judged_and_stored_once()
    {
        var (s, run) = await WaitingRunAsync();
        var (client, _) = await RunnerAsync();

        var claim = await (await client.PostAsync("/api/v1/teams/marketing/golden-runs/claim", null)).Content.ReadFromJsonAsync<ClaimedRun>(RegistryApi.Json);
        while (claim!.RunId != run.Id)
            claim = await (await client.PostAsync("/api/v1/teams/marketing/golden-runs/claim", null)).Content.ReadFromJsonAsync<ClaimedRun>(RegistryApi.Json);
        Assert.Equal(["golden-data", "model"], claim.Files.Select(f => f.Role).Order());
        foreach (var file in claim.Files)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/teams/marketing/golden-runs/{run.Id}/files/{file.Sha256}");
            request.Headers.Add("X-Run-Ticket", claim.Ticket);
            var bytes = await (await client.SendAsync(request)).Content.ReadAsByteArrayAsync();
            Assert.Equal(file.Sha256, RegistryApi.Sha(bytes));
        }
        var figures = new { runtime = "sklearn", rowCount = 30, durationMs = 1200, runtimeMs = 900,
            figures = new object[] { new { metric = "accuracy", slice = "", value = 0.9 }, new { metric = "accuracy", slice = "region=eu", value = 0.85 } } };

        var wrongTicket = await PostAsync(client, run.Id, "not-the-ticket", figures);
        var posted = await PostAsync(client, run.Id, claim.Ticket, figures);
        var again = await PostAsync(client, run.Id, claim.Ticket, figures);

        Assert.Equal(HttpStatusCode.Forbidden, wrongTicket.StatusCode);
        Assert.Equal("golden-run.ticket-invalid", await RegistryApi.CodeAsync(wrongTicket));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var result = await posted.Content.ReadFromJsonAsync<GoldenResultView>(RegistryApi.Json);
        Assert.True(result!.Passed);
        Assert.Equal("external:sklearn", result.Runtime);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("golden-run.finished", await RegistryApi.CodeAsync(again));
        var metrics = await s.GoldenMetricsAsync(run.Id);
        Assert.Equal(2, metrics.Count);
        Assert.All(metrics, m => Assert.Equal(Portal.Core.Versions.MetricSource.GoldenCheck, m.Source));
    }

    [Fact]
    public async Task A_token_without_the_evidence_grant_cannot_claim_and_nothing_waiting_is_a_404_with_a_code()
    {
        var (plain, _) = await RunnerAsync(mayRecordEvidence: false);
        var (granted, _) = await RunnerAsync();

        var refused = await plain.PostAsync("/api/v1/teams/marketing/golden-runs/claim", null);
        HttpResponseMessage drained;
        do
            drained = await granted.PostAsync("/api/v1/teams/marketing/golden-runs/claim", null);
        while (drained.StatusCode == HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, drained.StatusCode);
        Assert.Equal("golden-run.none-waiting", await RegistryApi.CodeAsync(drained));
    }

    [Fact]
    public async Task Figures_for_metrics_the_check_does_not_ask_for_are_refused_and_the_run_stays_open()
    {
        var (_, run) = await WaitingRunAsync();
        var (client, _) = await RunnerAsync();
        ClaimedRun? claim;
        do
            claim = await (await client.PostAsync("/api/v1/teams/marketing/golden-runs/claim", null)).Content.ReadFromJsonAsync<ClaimedRun>(RegistryApi.Json);
        while (claim!.RunId != run.Id);

        var bad = await PostAsync(client, run.Id, claim.Ticket, new { runtime = "sklearn", rowCount = 1, durationMs = 1, runtimeMs = 1,
            figures = new object[] { new { metric = "made-up", slice = "", value = 1 } } });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("golden-check.invalid", await RegistryApi.CodeAsync(bad));
        var good = await PostAsync(client, run.Id, claim.Ticket, new { runtime = "sklearn", rowCount = 1, durationMs = 1, runtimeMs = 1,
            figures = new object[] { new { metric = "accuracy", slice = "", value = 0.5 } } });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task The_example_runner_script_completes_a_waiting_run()
    {
        var (s, run) = await WaitingRunAsync();
        var (_, token) = await RunnerAsync();
        var script = Path.Combine(PortalApp.RepositoryRoot(), "infra", "golden-runner.py");
        // The evaluate command stands in for a real framework: it reads the claim and reports one figure.
        const string evaluate = "python3 -c 'import json,sys; c=json.load(open(sys.argv[3])); print(json.dumps({\"runtime\":\"stub\",\"rowCount\":30,\"figures\":[{\"metric\":c[\"metrics\"][0],\"slice\":\"\",\"value\":0.91}]}))' {model} {data} {claim}";

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var (code, output) = await RunAsync(script, token, evaluate);
            Assert.True(code is 0 or 3, output);
            if (code == 3 || (await s.FinishedAsyncIfDone(run.Id)) is not null)
                break;
        }

        var (finished, result) = await s.FinishedAsync(run.Id);
        Assert.Equal(JobRunState.Succeeded, finished.State);
        Assert.Equal("external:stub", result!.Runtime);
        Assert.Equal(0.91, (await s.GoldenMetricsAsync(run.Id)).Single().Value, 6);
    }

    private async Task<(int Code, string Output)> RunAsync(string script, string token, string evaluate)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--url", app.RootUrl, "--team", "marketing", "--evaluate", evaluate })
            start.ArgumentList.Add(arg);
        start.Environment["PORTAL_TOKEN"] = token;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid run, string ticket, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/teams/marketing/golden-runs/{run}/results") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Run-Ticket", ticket);
        return client.SendAsync(request);
    }
}
