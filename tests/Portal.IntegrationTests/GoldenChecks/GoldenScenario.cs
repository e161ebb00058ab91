using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.GoldenChecks;

/// <summary>A golden dataset and an asset to check, each of its own, with the people who register, define and run.</summary>
internal sealed class GoldenScenario(PortalApp app, CallerAccess contributor, CallerAccess admin, string dataset, string asset)
{
    public CallerAccess Contributor { get; } = contributor;
    public CallerAccess Admin { get; } = admin;
    public string Dataset { get; } = dataset;
    public string Asset { get; } = asset;

    public static async Task<GoldenScenario> CreateAsync(PortalApp app, byte[] goldenFile, string goldenPath = "golden.csv", AssetKind kind = AssetKind.Model,
        string? existingAsset = null)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var contributor = await app.CallerAsync(await app.SignInAsync($"gc-{id}", "Golden Contributor", "marketing-contributors"));
        var admin = await app.CallerAsync(await app.SignInAsync($"ga-{id}", "Golden Admin", "marketing-admins"));
        var s = new GoldenScenario(app, contributor, admin, "golden-" + id, existingAsset ?? "checked-" + id);
        await s.CreateAssetAsync(s.Dataset, AssetKind.Dataset);
        await s.RegisterAsync(s.Dataset, "1.0.0", (goldenPath, goldenFile));
        if (existingAsset is null)
            await s.CreateAssetAsync(s.Asset, kind);
        return s;
    }

    private async Task CreateAssetAsync(string name, AssetKind kind)
    {
        var created = await app.InScopeAsync<AssetService, Result<AssetDetail>>(x => x.CreateAsync(Contributor, "marketing", new AssetInput(name, kind, "golden test", null, [])));
        Assert.True(created.IsSuccess, created.Error?.Message);
    }

    public Task RegisterModelAsync(string version, params (string Path, byte[] Bytes)[] files) => RegisterAsync(Asset, version, files);

    private async Task RegisterAsync(string asset, string version, params (string Path, byte[] Bytes)[] files)
    {
        var created = await app.InScopeAsync<VersionService, Result<VersionDetail>>(x => x.CreateAsync(Contributor, "marketing", asset, new VersionInput(version, GitCommit: "0123abc")));
        Assert.True(created.IsSuccess, created.Error?.Message);
        foreach (var (path, bytes) in files)
        {
            var upload = await app.InScopeAsync<ArtifactService, Result<ArtifactView>>(x => x.UploadAsync(Contributor, "marketing", asset, version, path, new MemoryStream(bytes), null, null));
            Assert.True(upload.IsSuccess, upload.Error?.Message);
        }
        var ready = await app.InScopeAsync<VersionService, Result<VersionDetail>>(x => x.FinalizeAsync(Contributor, "marketing", asset, version));
        Assert.True(ready.IsSuccess, ready.Error?.Message);
    }

    /// <summary>The evaluation a pipeline records with a version: metric rules judge it; golden figures have their own rule.</summary>
    public async Task LogEvaluationAsync(string version, double accuracy)
    {
        var logged = await app.InScopeAsync<MetricService, Result<int>>(x => x.LogAsync(Contributor, "marketing", Asset, version, [new MetricInput("accuracy", accuracy)]));
        Assert.True(logged.IsSuccess, logged.Error?.Message);
    }

    public static GoldenCheckInput IrisCheck(string name = "holdout", double? maxDrop = null, string path = "golden.csv") => new(
        name, "", "1.0.0", path, "species", null, ["region"], ["accuracy", "macro-f1", "demographic-parity-difference"], "2",
        new Dictionary<string, double> { ["accuracy"] = 0.8 }, maxDrop, null, 60, 512);

    public async Task<GoldenCheckView> DefineAsync(GoldenCheckInput input)
    {
        var saved = await app.InScopeAsync<GoldenCheckService, Result<GoldenCheckView>>(x => x.SaveAsync(Admin, "marketing", Asset, input with { DatasetAsset = Dataset }));
        Assert.True(saved.IsSuccess, saved.Error?.Message + " " + string.Join("; ", saved.Error?.Fields?.Select(f => f.Key + ": " + f.Value[0]) ?? []));
        return saved.Value;
    }

    public async Task<JobRunView> StartAsync(string version, string check = "holdout")
    {
        var started = await app.InScopeAsync<GoldenCheckService, Result<JobRunView>>(x => x.StartAsync(Contributor, "marketing", Asset, check, version));
        Assert.True(started.IsSuccess, started.Error?.Message);
        return started.Value;
    }

    /// <summary>Starts a run and waits for Hangfire to finish it.</summary>
    public async Task<(JobRun Run, GoldenCheckResult? Result)> RunAsync(string version, string check = "holdout") =>
        await FinishedAsync((await StartAsync(version, check)).Id);

    public async Task<(JobRun Run, GoldenCheckResult? Result)> FinishedAsync(Guid runId)
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        for (var waited = 0; waited < 120; waited++)
        {
            await using var db = await factory.CreateDbContextAsync();
            var run = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
            if (run.IsFinished)
                return (run, await db.GoldenCheckResults.AsNoTracking().SingleOrDefaultAsync(r => r.RunId == runId));
            await Task.Delay(500);
        }
        throw new TimeoutException($"Run {runId} did not finish within 60 s.");
    }

    /// <summary>The run when it has finished, else null (no waiting).</summary>
    public async Task<JobRun?> FinishedAsyncIfDone(Guid runId)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var run = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
        return run.IsFinished ? run : null;
    }

    public async Task<List<Metric>> GoldenMetricsAsync(Guid runId)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Metrics.AsNoTracking().Where(m => m.RunId == runId).ToListAsync();
    }
}
