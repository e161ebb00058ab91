using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.GoldenChecks;

public sealed record GoldenResultView(Guid RunId, string Check, string Version, string DatasetVersion, string DatasetSha256, string ModelSha256,
    string Runtime, long RowCount, long DurationMs, long RuntimeMs, bool Passed, IReadOnlyList<GoldenFinding> Findings, DateTimeOffset CompletedAt);

public sealed record GoldenCheckView(Guid Id, string Name, string DatasetAsset, string DatasetVersion, string DatasetPath, string? LabelColumn,
    IReadOnlyList<string> FeatureColumns, IReadOnlyList<string> SliceColumns, IReadOnlyList<string> Metrics, string? PositiveClass,
    IReadOnlyDictionary<string, double> Thresholds, double? MaxDropFromProduction, string? Cron, int TimeoutSeconds, int MemoryLimitMb, bool Enabled,
    int Revision, GoldenResultView? Latest);

/// <summary>Golden-check definitions of an asset, their runs on demand, and their results.</summary>
public sealed class GoldenCheckService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IGoldenRunQueue queue,
    IEnumerable<IGoldenModelRunner> runners, IGoldenSchedule schedule)
{
    public const int HistoryLimit = 200;

    public async Task<Result<IReadOnlyList<GoldenCheckView>>> ListAsync(CallerAccess caller, string team, string asset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var checks = await db.GoldenChecks.AsNoTracking().Where(c => c.AssetId == found.Value.Asset.Id).OrderBy(c => c.Name).ToListAsync(ct);
        var views = new List<GoldenCheckView>();
        foreach (var check in checks)
        {
            var latest = await Results(db).Where(r => r.CheckId == check.Id).OrderByDescending(r => r.CompletedAt).FirstOrDefaultAsync(ct);
            views.Add(await ViewAsync(db, check, latest is null ? null : ToView(latest, check.Name), ct));
        }
        return views;
    }

    /// <summary>Creates the check, or changes the one of that name (the revision guards against a lost update).</summary>
    public async Task<Result<GoldenCheckView>> SaveAsync(CallerAccess caller, string team, string asset, GoldenCheckInput input, int? expectedRevision = null,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ManageGoldenChecks, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var (owner, target) = found.Value;
        var problems = input.Problems(target.Kind);
        var datasetName = Names.Canonical(input.DatasetAsset ?? "");
        var dataset = problems.ContainsKey("datasetAsset") ? null
            : await db.Assets.AsNoTracking().SingleOrDefaultAsync(a => a.TeamId == owner.Id && a.Name == datasetName && a.Kind == AssetKind.Dataset, ct);
        var parsed = AssetVersion.ParseVersion(input.DatasetVersion ?? "");
        var datasetVersion = dataset is null || !parsed.IsSuccess ? null
            : await db.Versions.AsNoTracking().SingleOrDefaultAsync(v => v.AssetId == dataset.Id && v.Version == parsed.Value.ToString() && v.Status == VersionStatus.Ready, ct);
        if (dataset is null && !problems.ContainsKey("datasetAsset"))
            problems["datasetAsset"] = [$"This team has no dataset asset '{input.DatasetAsset}'."];
        else if (dataset is not null && datasetVersion is null)
            problems["datasetVersion"] = ["A Ready version of the dataset, e.g. 1.0.0."];
        else if (datasetVersion is not null && !problems.ContainsKey("datasetPath")
            && !await db.Artifacts.AnyAsync(a => a.VersionId == datasetVersion.Id && a.Path == input.DatasetPath, ct))
            problems["datasetPath"] = [$"Dataset {dataset!.Name} {datasetVersion.Version} has no file '{input.DatasetPath}'."];
        if (problems.Count > 0)
            return GoldenCheckErrors.Invalid(problems);
        var now = clock.GetUtcNow();
        var check = await db.GoldenChecks.SingleOrDefaultAsync(c => c.AssetId == target.Id && c.Name == input.Name, ct);
        var before = check is null ? null : Snapshot(check);
        if (check is null)
        {
            check = new GoldenCheck { TeamId = owner.Id, AssetId = target.Id, Name = input.Name, DatasetPath = input.DatasetPath, CreatedAt = now, CreatedBy = caller.Actor.Name };
            db.GoldenChecks.Add(check);
        }
        else if (expectedRevision is { } revision && revision != check.Revision)
            return GoldenCheckErrors.Stale;
        else
            check.Revision++;
        check.DatasetVersionId = datasetVersion!.Id;
        check.DatasetPath = input.DatasetPath;
        check.LabelColumn = target.Kind == AssetKind.PromptTemplate ? null : input.LabelColumn;
        check.FeatureColumns = [.. input.FeatureColumns ?? []];
        check.SliceColumns = [.. input.SliceColumns ?? []];
        check.Metrics = [.. input.Metrics];
        check.PositiveClass = string.IsNullOrWhiteSpace(input.PositiveClass) ? null : input.PositiveClass;
        check.Thresholds = new Dictionary<string, double>(input.Thresholds ?? new Dictionary<string, double>());
        check.MaxDropFromProduction = input.MaxDropFromProduction;
        check.Cron = string.IsNullOrWhiteSpace(input.Cron) ? null : input.Cron.Trim();
        check.TimeoutSeconds = input.TimeoutSeconds ?? check.TimeoutSeconds;
        check.MemoryLimitMb = input.MemoryLimitMb ?? check.MemoryLimitMb;
        check.Enabled = input.Enabled;
        check.UpdatedAt = now;
        db.Record(caller.Actor, now, before is null ? "golden-check.created" : "golden-check.changed", "asset", target.Id.ToString(), owner.Id,
            before, Snapshot(check));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return GoldenCheckErrors.Stale;
        }
        catch (UniqueViolationException)
        {
            return GoldenCheckErrors.Exists;
        }
        schedule.Apply(check.Id, check.Enabled ? check.Cron : null);
        return await ViewAsync(db, check, null, ct);
    }

    /// <summary>Starts a run of one check on one Ready version now; it is queued, and its progress shows on the Jobs page.</summary>
    public async Task<Result<JobRunView>> StartAsync(CallerAccess caller, string team, string asset, string check, string version, string? idempotencyKey = null,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RunGoldenChecks, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var (teamId, target, v) = found.Value;
        var definition = await db.GoldenChecks.AsNoTracking().SingleOrDefaultAsync(c => c.AssetId == target.Id && c.Name == check, ct);
        if (definition is null)
            return GoldenCheckErrors.NotFound(check);
        if (v.Status != VersionStatus.Ready)
            return GoldenCheckErrors.VersionNotReady;
        if (v.ArchivedAt is not null || v.PurgedAt is not null)
            return GoldenCheckErrors.VersionArchived;
        var key = idempotencyKey is null ? null : $"{caller.Actor.PersonKey}:{idempotencyKey}";
        if (key is not null && await ReplayAsync(db, key, definition.Id, v.Id, ct) is { } replay)
            return replay;
        var now = clock.GetUtcNow();
        var run = await GoldenCheckRuns.PlanAsync(db, definition, v, target.Name, target.Kind, InProcess, caller.Actor.Kind switch { ActorKind.User => "on-demand", ActorKind.ServicePrincipal => "api", _ => "system" },
            caller.Actor.Name, key, now, ct);
        db.Record(caller.Actor, now, "golden-check.started", "version", v.Id.ToString(), teamId, after: new { Run = run.Id, Check = definition.Name, v.Version, run.External });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (UniqueViolationException) when (key is not null)
        {
            // A retry with the same key, sent while the first was being saved, won: the answer is its run.
            db.ChangeTracker.Clear();
            return (await ReplayAsync(db, key, definition.Id, v.Id, ct))!.Value;
        }
        if (!run.External)
            queue.Enqueue(run.Id);
        return await db.JobRuns.AsNoTracking().Where(r => r.Id == run.Id).Select(JobRunView.From).SingleAsync(ct);
    }

    /// <summary>
    /// The run an earlier start with the same key made, or null. The same key sent for another check or version is refused: answering with
    /// the first run would tell a pipeline its new check had started.
    /// </summary>
    private static async Task<Result<JobRunView>?> ReplayAsync(PortalDbContext db, string key, Guid check, Guid version, CancellationToken ct)
    {
        var earlier = await db.JobRuns.AsNoTracking().Where(r => r.Kind == JobKinds.GoldenCheck && r.IdempotencyKey == key)
            .Select(r => new { r.Id, r.DefinitionId, r.SubjectId }).SingleOrDefaultAsync(ct);
        if (earlier is null)
            return null;
        if (earlier.DefinitionId != check || earlier.SubjectId != version.ToString())
            return RegistryErrors.IdempotencyReuse;
        return await db.JobRuns.AsNoTracking().Where(r => r.Id == earlier.Id).Select(JobRunView.From).SingleAsync(ct);
    }

    /// <summary>An asset's results, newest first (at most <see cref="HistoryLimit"/>), optionally of one check: the history chart's data.</summary>
    public async Task<Result<IReadOnlyList<GoldenResultView>>> HistoryAsync(CallerAccess caller, string team, string asset, string? check = null,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var query = from r in Results(db)
                    join c in db.GoldenChecks on r.CheckId equals c.Id
                    where r.AssetId == found.Value.Asset.Id && (check == null || c.Name == check)
                    orderby r.CompletedAt descending
                    select new { r, c.Name };
        var rows = await query.Take(HistoryLimit).ToListAsync(ct);
        return rows.Select(x => ToView(x.r, x.Name)).ToList();
    }

    /// <summary>One version's results, newest first: the version page's golden-check panel.</summary>
    public async Task<Result<IReadOnlyList<GoldenResultView>>> VersionResultsAsync(CallerAccess caller, string team, string asset, string version,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var versionId = found.Value.Version.Id;
        var rows = await (from r in Results(db)
                          join c in db.GoldenChecks on r.CheckId equals c.Id
                          where r.VersionId == versionId
                          orderby r.CompletedAt descending
                          select new { r, c.Name }).Take(HistoryLimit).ToListAsync(ct);
        return rows.Select(x => ToView(x.r, x.Name)).ToList();
    }

    internal bool InProcess(string path) => runners.Any(r => r.Accepts(path));

    private static IQueryable<GoldenCheckResult> Results(PortalDbContext db) => db.GoldenCheckResults.AsNoTracking();

    private static GoldenResultView ToView(GoldenCheckResult r, string check) => new(r.RunId, check, r.Version, r.DatasetVersion, r.DatasetSha256,
        r.ModelSha256, r.Runtime, r.RowCount, r.DurationMs, r.RuntimeMs, r.Passed, r.Findings, r.CompletedAt);

    private static async Task<GoldenCheckView> ViewAsync(PortalDbContext db, GoldenCheck c, GoldenResultView? latest, CancellationToken ct)
    {
        var dataset = await (from v in db.Versions.AsNoTracking()
                             join a in db.Assets on v.AssetId equals a.Id
                             where v.Id == c.DatasetVersionId
                             select new { a.Name, v.Version }).SingleAsync(ct);
        return new GoldenCheckView(c.Id, c.Name, dataset.Name, dataset.Version, c.DatasetPath, c.LabelColumn, c.FeatureColumns, c.SliceColumns, c.Metrics,
            c.PositiveClass, c.Thresholds, c.MaxDropFromProduction, c.Cron, c.TimeoutSeconds, c.MemoryLimitMb, c.Enabled, c.Revision, latest);
    }

    private static object Snapshot(GoldenCheck c) => new
    {
        c.Name, c.DatasetVersionId, c.DatasetPath, c.LabelColumn, c.FeatureColumns, c.SliceColumns, c.Metrics, c.PositiveClass, c.Thresholds,
        c.MaxDropFromProduction, c.Cron, c.TimeoutSeconds, c.MemoryLimitMb, c.Enabled,
    };
}
