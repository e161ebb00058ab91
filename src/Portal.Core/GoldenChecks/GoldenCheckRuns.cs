using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.Versions;

namespace Portal.Core.GoldenChecks;

/// <summary>Puts a Hangfire-free job run on a queue: <c>Enqueue</c> after the run's row is saved.</summary>
public interface IGoldenRunQueue
{
    void Enqueue(Guid runId);
}

/// <summary>Adds golden-check runs to a unit of work: the intent is saved with the change that causes it, then queued.</summary>
internal static class GoldenCheckRuns
{
    public static readonly TimeSpan ExternalClaimWindow = TimeSpan.FromHours(1);

    public static async Task<JobRun> PlanAsync(PortalDbContext db, GoldenCheck check, AssetVersion version, string assetName, AssetKind kind,
        Func<string, bool> runsInProcess, string trigger, string requestedBy, string? idempotencyKey, DateTimeOffset now, CancellationToken ct)
    {
        var paths = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == version.Id).Select(a => a.Path).ToListAsync(ct);
        // Formats the portal cannot run are never deserialized here: an external runner claims them.
        var external = kind != AssetKind.PromptTemplate && !paths.Any(runsInProcess);
        var run = new JobRun
        {
            Kind = JobKinds.GoldenCheck, TeamId = check.TeamId, SubjectType = "version", SubjectId = version.Id.ToString(),
            SubjectLabel = $"{assetName} {version.Version} · {check.Name}", DefinitionId = check.Id, Trigger = trigger, RequestedBy = requestedBy,
            IdempotencyKey = idempotencyKey, QueuedAt = now, External = external,
            DeadlineAt = now + (external ? ExternalClaimWindow : TimeSpan.FromSeconds(check.TimeoutSeconds * 3 + 60)),
        };
        db.JobRuns.Add(run);
        return run;
    }

    /// <summary>Runs for every enabled check of an asset whose version just became Ready, keyed so a retried finalize plans them once.</summary>
    public static async Task<IReadOnlyList<JobRun>> PlanForReadyVersionAsync(PortalDbContext db, AssetVersion version, Asset asset,
        Func<string, bool> runsInProcess, string requestedBy, DateTimeOffset now, CancellationToken ct)
    {
        var checks = await db.GoldenChecks.AsNoTracking().Where(c => c.AssetId == asset.Id && c.Enabled).ToListAsync(ct);
        var runs = new List<JobRun>();
        foreach (var check in checks)
            runs.Add(await PlanAsync(db, check, version, asset.Name, asset.Kind, runsInProcess, "version-ready", requestedBy,
                $"ready:{check.Id}:{version.Id}", now, ct));
        return runs;
    }
}
