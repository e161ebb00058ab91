using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Archiving;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.Lineage;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.Archiving;

/// <summary>
/// Versions registered through the services in the Finance team, under a rule that finds every Ready version
/// in no stage stale at once (0 days), and archive runs driven by hand with an optional failure hook.
/// </summary>
internal sealed class ArchivingScenario(PortalApp app)
{
    public const string Finance = "finance";

    public CallerAccess Admin { get; private set; } = CallerAccess.Anonymous;
    public CallerAccess Contributor { get; private set; } = CallerAccess.Anonymous;
    public IArtifactStore Hot => app.Service<IArtifactStore>();
    public IArtifactStore Cold => app.Service<ColdStore>().Store;

    public static async Task<ArchivingScenario> StartAsync(PortalApp app, int retentionDays = 0)
    {
        var scenario = new ArchivingScenario(app)
        {
            Admin = await app.CallerAsync(await app.SignInAsync($"arch-admin-{Guid.NewGuid():N}", "Archive admin", "finance-admins")),
            Contributor = await app.CallerAsync(await app.SignInAsync($"arch-contrib-{Guid.NewGuid():N}", "Archive contributor", "finance-contributors")),
        };
        await scenario.RuleAsync(retentionDays);
        return scenario;
    }

    public async Task RuleAsync(int retentionDays, bool nightly = false) =>
        Ok(await app.InScopeAsync<ArchiveRuleService, Result<ArchiveRuleView>>(s => s.SaveAsync(Admin, Finance, new ArchiveRuleInput(0, 0, retentionDays, nightly))));

    /// <summary>A Ready version with the given files; returns its id.</summary>
    /// <param name="team">Finance unless named, registered by <paramref name="by"/> (the scenario's Finance contributor unless named).</param>
    public async Task<Guid> VersionAsync(string asset, string version, (string Path, byte[] Bytes)[] files, UpstreamReference[]? lineage = null, AssetKind kind = AssetKind.Dataset,
        string team = Finance, CallerAccess? by = null)
    {
        var who = by ?? Contributor;
        await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.CreateAsync(who, team, new AssetInput(asset, kind, "archiving test", null, []), null));
        var created = Ok(await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.CreateAsync(who, team, asset, new VersionInput(version, Lineage: lineage))));
        foreach (var (path, bytes) in files)
            Ok(await app.InScopeAsync<ArtifactService, Result<ArtifactView>>(s => s.UploadAsync(who, team, asset, version, path, new MemoryStream(bytes), null, bytes.Length)));
        Ok(await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.FinalizeAsync(who, team, asset, version)));
        return created.Id;
    }

    public Task<ArchivePreview> PreviewAsync() => OkAsync(app.InScopeAsync<ArchiveService, Result<ArchivePreview>>(s => s.PreviewAsync(Admin, Finance)));

    /// <summary>A run row as the service records it, without queueing it: the test runs it.</summary>
    public async Task<Guid> PlanRunAsync()
    {
        await using var db = await Db();
        var teamId = await db.Teams.Where(t => t.Slug == Finance).Select(t => t.Id).SingleAsync();
        var run = new JobRun
        {
            Kind = JobKinds.Archive, TeamId = teamId, SubjectType = "team", SubjectId = teamId.ToString(), Trigger = "test", RequestedBy = "test",
            QueuedAt = DateTimeOffset.UtcNow, DeadlineAt = DateTimeOffset.UtcNow.AddHours(1),
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    /// <summary>Runs the archive job in this process, as Hangfire would, with the observers given (a failure hook).</summary>
    public Task RunAsync(Guid runId, params IArchiveRunObserver[] observers)
    {
        var dbFactory = app.Service<IDbContextFactory<PortalDbContext>>();
        var mover = new ArchiveBlobMover(dbFactory, Hot, app.Service<ColdStore>(), TimeProvider.System, observers);
        return new ArchiveStaleVersionsJob(dbFactory, mover, TimeProvider.System, observers, app.Service<ILogger<ArchiveStaleVersionsJob>>())
            .RunAsync(runId, CancellationToken.None);
    }

    public Task<PortalDbContext> Db() => app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    public async Task<BlobLocation> LocationAsync(string sha)
    {
        await using var db = await Db();
        return await db.Blobs.Where(b => b.Sha256 == sha).Select(b => b.Location).SingleAsync();
    }

    public async Task<AssetVersion> VersionRowAsync(Guid id)
    {
        await using var db = await Db();
        return await db.Versions.AsNoTracking().SingleAsync(v => v.Id == id);
    }

    public async Task<int> AuditCountAsync(string action, string text)
    {
        await using var db = await Db();
        return await db.AuditEvents.CountAsync(e => e.Action == action && ((e.After ?? "").Contains(text) || e.SubjectId == text));
    }

    public static byte[] Bytes(int size = 3000) => RandomNumberGenerator.GetBytes(size);
    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static T Ok<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new InvalidOperationException($"{result.Error!.Code}: {result.Error.Message}");
    private static async Task<T> OkAsync<T>(Task<Result<T>> result) => Ok(await result);
}

/// <summary>Throws at the named step (once unless told otherwise), as a process killed there would stop.</summary>
internal sealed class FailAt(string step, int times = 1) : IArchiveRunObserver
{
    public int Fired { get; private set; }

    public void Reached(string reached, Guid runId)
    {
        if (reached != step || Fired >= times)
            return;
        Fired++;
        throw new SimulatedCrashException(step);
    }
}

internal sealed class SimulatedCrashException(string step) : Exception($"Killed at {step}");
