using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Exports;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Exports;

/// <summary>Starts exports through the service and waits for the real Hangfire job to finish them.</summary>
internal static class ExportScenario
{
    public static async Task<CallerAccess> PersonAsync(PortalApp app, params string[] groups) =>
        await app.CallerAsync(await app.SignInAsync($"x-{Guid.NewGuid():N}", "Export " + string.Join("+", groups), groups));

    public static Task<Result<ExportView>> StartAsync(PortalApp app, CallerAccess caller, ExportRequest request) =>
        app.InScopeAsync<ExportService, Result<ExportView>>(s => s.StartAsync(caller, request));

    /// <summary>Polls as a client would, until the export is Completed or Failed.</summary>
    public static async Task<ExportView> WaitAsync(PortalApp app, CallerAccess caller, Guid id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var view = await app.InScopeAsync<ExportService, Result<ExportView>>(s => s.GetAsync(caller, id.ToString()));
            Assert.True(view.IsSuccess, view.Error?.Message);
            if (view.Value.State is ExportState.Completed or ExportState.Failed)
                return view.Value;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"The export is still {view.Value.State} at {view.Value.Progress}%.");
            await Task.Delay(200);
        }
    }

    public static async Task<(ExportView View, ExportFile File)> MakeAsync(PortalApp app, CallerAccess caller, ExportRequest request)
    {
        var started = await StartAsync(app, caller, request);
        Assert.True(started.IsSuccess, started.Error?.Message);
        var done = await WaitAsync(app, caller, started.Value.Id);
        Assert.Equal(ExportState.Completed, done.State);
        var file = await app.InScopeAsync<ExportService, Result<ExportFile>>(s => s.DownloadAsync(caller, done.Id.ToString()));
        Assert.True(file.IsSuccess, file.Error?.Message);
        return (done, file.Value);
    }

    public static Task<Result<ExportCheck>> CheckAsync(PortalApp app, CallerAccess caller, byte[] bytes) =>
        app.InScopeAsync<ExportCheckService, Result<ExportCheck>>(s => s.CheckAsync(caller, new MemoryStream(bytes)));

    public static async Task<string?> IssuedEventAfterAsync(PortalApp app, Guid exportId)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var subject = exportId.ToString();
        return await db.AuditEvents.Where(e => e.Action == "export.issued" && e.SubjectId == subject).Select(e => e.After).SingleOrDefaultAsync();
    }

    /// <summary>Signs a checkpoint of the chain as the scheduled job does, so the next dossier carries inclusion proofs.</summary>
    public static Task<Portal.Core.Audit.Checkpoints.AuditCheckpoint?> SignCheckpointAsync(PortalApp app) =>
        app.InScopeAsync<Portal.Core.Audit.AuditTrailService, Portal.Core.Audit.Checkpoints.AuditCheckpoint?>(t => t.SignCheckpointAsync(CancellationToken.None));

    public static async Task<List<(long Sequence, string Action, string Hash)>> AssetEventsAsync(PortalApp app, string assetName)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var asset = await db.Assets.SingleAsync(a => a.Name == assetName);
        var versionIds = await db.Versions.Where(v => v.AssetId == asset.Id).Select(v => v.Id.ToString()).ToListAsync();
        var assetId = asset.Id.ToString();
        return (await db.AuditEvents.Where(e => (e.SubjectType == "asset" && e.SubjectId == assetId) || (e.SubjectType == "version" && versionIds.Contains(e.SubjectId)))
            .OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Action, e.Hash }).ToListAsync())
            .Select(e => (e.Sequence, e.Action, Convert.ToHexStringLower(e.Hash))).ToList();
    }
}
