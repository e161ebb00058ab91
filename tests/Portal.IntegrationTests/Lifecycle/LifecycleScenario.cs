using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Assets;
using Portal.Core.Artifacts;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.Lifecycle;

/// <summary>
/// People and pipelines of one lifecycle test, each a distinct person, on an asset of its own with
/// a team policy selected by a tag of its own, so tests sharing a portal never see each other's rules.
/// </summary>
internal sealed class LifecycleScenario(PortalApp app, string asset, string tag)
{
    public string Asset { get; } = asset;
    public string Tag { get; } = tag;

    public static async Task<LifecycleScenario> CreateAsync(PortalApp app, string policyRules)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new LifecycleScenario(app, "gate-" + id, "gate-" + id);
        var contributor = await scenario.PersonAsync("marketing-contributors");
        var created = await app.InScopeAsync<AssetService, Result<AssetDetail>>(s =>
            s.CreateAsync(contributor, "marketing", new AssetInput(scenario.Asset, AssetKind.Model, "lifecycle test", null, [scenario.Tag])));
        Assert.True(created.IsSuccess, created.Error?.Message);
        await Policies.PolicyScenario.StoreAsync(app, "marketing", $"""
            policy: {scenario.Tag}
            applies-to: {"{"} kinds: [Model], tags: [{scenario.Tag}], targets: [Production] {"}"}
            rules:
            {policyRules}
            """);
        return scenario;
    }

    public async Task<CallerAccess> PersonAsync(params string[] groups) =>
        await app.CallerAsync(await app.SignInAsync($"p-{Guid.NewGuid():N}", "Person " + string.Join("+", groups), groups));

    /// <summary>Registers, fills and finalizes a version as <paramref name="registrant"/>.</summary>
    public async Task RegisterAsync(CallerAccess registrant, string version, params MetricInput[] metrics)
    {
        var created = await app.InScopeAsync<VersionService, Result<VersionDetail>>(s =>
            s.CreateAsync(registrant, "marketing", Asset, new VersionInput(version, GitCommit: "0123abc")));
        Assert.True(created.IsSuccess, created.Error?.Message);
        var upload = await app.InScopeAsync<ArtifactService, Result<ArtifactView>>(s =>
            s.UploadAsync(registrant, "marketing", Asset, version, "model.onnx", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Asset + version)), null, null));
        Assert.True(upload.IsSuccess, upload.Error?.Message);
        if (metrics.Length > 0)
            Assert.True((await app.InScopeAsync<MetricService, Result<int>>(s => s.LogAsync(registrant, "marketing", Asset, version, metrics))).IsSuccess);
        Assert.True((await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.FinalizeAsync(registrant, "marketing", Asset, version))).IsSuccess);
    }

    public Task<Result<TransitionView>> RequestAsync(CallerAccess who, string version, string target, string justification = "test") =>
        app.InScopeAsync<TransitionService, Result<TransitionView>>(s => s.RequestAsync(who, "marketing", Asset, version, target, justification));

    public Task<Result<TransitionView>> DecideAsync(CallerAccess who, long id, bool approve = true, string? comment = "Looks good") =>
        app.InScopeAsync<DecisionService, Result<TransitionView>>(s => s.DecideAsync(who, id, approve, comment));

    public async Task<Stage> StageOfAsync(string version)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Versions.Where(v => v.Version == version && db.Assets.Any(a => a.Id == v.AssetId && a.Name == Asset)).Select(v => v.Stage).SingleAsync();
    }

    public async Task<int> ProductionCountAsync()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Versions.CountAsync(v => v.Stage == Stage.Production && db.Assets.Any(a => a.Id == v.AssetId && a.Name == Asset));
    }

    public async Task<int> AuditCountAsync(string action, long requestId)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var marker = $"\"requestId\":{requestId}";
        return (await db.AuditEvents.Where(e => e.Action == action).Select(e => e.After ?? "").ToListAsync()).Count(a => a.Contains(marker, StringComparison.Ordinal));
    }

    public async Task<long> HighestRequestNumberAsync()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.TransitionRequests.MaxAsync(r => (long?)r.Id) ?? 0;
    }

    /// <summary>The request the version's move to Staging names in its stage history.</summary>
    public async Task<long?> StagingRequestOfAsync(string version)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.StageChanges.Where(c => c.To == Stage.Staging && db.Versions.Any(v => v.Id == c.VersionId && v.Version == version
            && db.Assets.Any(a => a.Id == v.AssetId && a.Name == Asset))).Select(c => c.RequestId).SingleAsync();
    }

    public static MetricInput[] Scores(double accuracy, double recallFemale, double recallMale) =>
    [
        new("accuracy", accuracy), new("recall", recallFemale, "sex=female"), new("recall", recallMale, "sex=male"),
    ];
}
