using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.PromptTemplates;
using Portal.Core.Versions;

namespace Portal.Core.GoldenChecks;

/// <summary>
/// Runs one golden check in process: reads the golden file and the model by digest, runs the model under
/// the check's time and memory limits, scores, judges and stores the outcome in one transaction. Takes
/// only the run's id; a replay after a kill finds the run unfinished and runs it again from the start,
/// a replay after the outcome was stored finds it finished and does nothing.
/// </summary>
public sealed class RunGoldenCheckJob(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IArtifactStore store,
    IGoldenDataReader reader, IEnumerable<IGoldenModelRunner> runners, IPromptRenderer renderer, IEnumerable<IGoldenRunObserver> observers,
    ILogger<RunGoldenCheckJob> log)
{
    public const string Id = "golden-check";
    public const int MaxRows = 5_000_000;

    /// <summary>
    /// Claims of one run before it is failed: a model or golden file whose native allocation ends the process would otherwise be
    /// claimed again at every start-up replay, ending it again, until the run's deadline.
    /// </summary>
    public const int MaxAttempts = 3;

    public async Task RunAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.JobRuns.SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || run.External || !run.Claim(clock.GetUtcNow()))
            return;
        if (run.Attempt > MaxAttempts)
        {
            await FailAsync(db, runId, $"Stopped after {MaxAttempts} attempts that did not finish (the portal's worker ended while running it): " +
                "the model or the golden file may need more memory than the portal gives a check.", Actor.Job(Id));
            return;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // claimed by another worker between the read and the write: it runs the check
        }
        Reached("claimed", runId);
        var actor = Actor.Job(Id);
        var check = await db.GoldenChecks.AsNoTracking().SingleAsync(c => c.Id == run.DefinitionId, ct);
        using var limits = new RunLimits(check.TimeoutSeconds, check.MemoryLimitMb, ct);
        try
        {
            var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Id == Guid.Parse(run.SubjectId), ct);
            if (version.PurgedAt is not null || version.ArchivedAt is not null)
                throw new GoldenCheckException($"Version {version.Version} was {(version.PurgedAt is not null ? "purged" : "archived")} after this run was planned; restore it to check it.");
            var kind = await db.Assets.Where(a => a.Id == version.AssetId).Select(a => a.Kind).SingleAsync(ct);
            var outcome = await MeasureAsync(db, run, check, version, kind, limits, limits.Token);
            Reached("scored", runId);
            await GoldenResultWriter.StoreAsync(db, run, check, version, outcome, actor, clock.GetUtcNow(), ct);
            Reached("stored", runId);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another worker claimed the run after this one (a replayed or twice-queued job): it owns the outcome now.
            log.LogInformation("Golden-check run {RunId} was taken over by another worker; this attempt stops", runId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var reason = ex switch
            {
                GoldenCheckException g => g.Message,
                OperationCanceledException => limits.Reason ?? "The run was stopped.",
                _ => "The check could not run; an administrator can find the cause in the log under this run's id.",
            };
            if (ex is not GoldenCheckException and not OperationCanceledException)
                log.LogError(ex, "Golden-check run {RunId} failed", runId);
            db.ChangeTracker.Clear();
            await FailAsync(db, runId, reason, actor);
        }
    }

    private async Task<GoldenOutcome> MeasureAsync(PortalDbContext db, JobRun run, GoldenCheck check, AssetVersion version, AssetKind kind,
        RunLimits limits, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var files = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == version.Id).OrderBy(a => a.Path).ToListAsync(ct);
        var data = await db.Artifacts.AsNoTracking().SingleOrDefaultAsync(a => a.VersionId == check.DatasetVersionId && a.Path == check.DatasetPath, ct)
            ?? throw new GoldenCheckException($"The golden dataset version has no file {check.DatasetPath}.");
        limits.Admit(data.Size, "golden file");
        var dataBytes = await ReadVerifiedAsync(data, ct);
        await ProgressAsync(db, run, 30, ct);
        Reached("data-read", run.Id);
        if (kind == AssetKind.PromptTemplate)
            return PromptOutcome(dataBytes, await ReadTemplateAsync(files, limits, ct), watch, limits.Token);
        var model = files.FirstOrDefault(f => runners.Any(r => r.Accepts(f.Path)))
            ?? throw new GoldenCheckException("The version has no model file the portal can run (.onnx or an ML.NET .zip).");
        limits.Admit(model.Size, "model");
        var runner = runners.First(r => r.Accepts(model.Path));
        var table = await reader.ReadAsync(new MemoryStream(dataBytes), check.DatasetPath, MaxRows, ct);
        var task = check.Metrics.Select(GoldenMetricCatalog.Find).Any(m => m?.Task == GoldenTask.Regression) ? GoldenTask.Regression : GoldenTask.Classification;
        var answer = await runner.PredictAsync(await ReadVerifiedAsync(model, ct), table.WithLabelBlanked(check.LabelColumn), check, task, ct);
        await ProgressAsync(db, run, 70, ct);
        Reached("model-run", run.Id);
        var slices = check.SliceColumns.ToDictionary(c => c, c => (IReadOnlyList<string>)table.Column(c), StringComparer.Ordinal);
        var figures = GoldenScorer.Score(check.Metrics, table.Column(check.LabelColumn!), answer.Predictions, slices, check.PositiveClass);
        return new GoldenOutcome(runner.Runtime, model.Sha256, table.RowCount, watch.ElapsedMilliseconds, (long)answer.RuntimeTime.TotalMilliseconds, figures);
    }

    /// <summary>Checked against the check's time limit case by case: rendering and matching run in this thread, not in a runtime the limit can stop.</summary>
    private GoldenOutcome PromptOutcome(byte[] casesBytes, (string Text, string Sha256) template, Stopwatch watch, CancellationToken limit)
    {
        var cases = GoldenPromptCases.Parse(System.Text.Encoding.UTF8.GetString(casesBytes));
        var failures = cases.Select(c =>
        {
            limit.ThrowIfCancellationRequested();
            return (c.Name, Reasons: GoldenPromptCases.Check(renderer, template.Text, c));
        }).ToList();
        var figures = new List<GoldenFigure> { new(GoldenMetricCatalog.PassRate, "", failures.Count(f => f.Reasons.Count == 0) / (double)cases.Count) };
        // Each failing case is named with its reasons, so the Jobs page says what to fix.
        figures.AddRange(failures.Where(f => f.Reasons.Count > 0)
            .Select(f => new GoldenFigure(GoldenMetricCatalog.PassRate, $"case={f.Name}", 0, string.Join("; ", f.Reasons))));
        return new GoldenOutcome("prompt", template.Sha256, cases.Count, watch.ElapsedMilliseconds, watch.ElapsedMilliseconds, figures);
    }

    private async Task<(string Text, string Sha256)> ReadTemplateAsync(List<Artifact> files, RunLimits limits, CancellationToken ct)
    {
        var template = files.FirstOrDefault(f => f.Path.EndsWith(".hbs", StringComparison.OrdinalIgnoreCase) || f.Path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            ?? throw new GoldenCheckException("The prompt version has no template file (.hbs or .txt).");
        limits.Admit(template.Size, "template");
        return (System.Text.Encoding.UTF8.GetString(await ReadVerifiedAsync(template, ct)), template.Sha256);
    }

    /// <summary>Reads a blob whole and checks it against its digest: a check never runs on content that is not what was registered.</summary>
    private async Task<byte[]> ReadVerifiedAsync(Artifact artifact, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(artifact.Sha256, ct)
            ?? throw new GoldenCheckException($"The stored content of {artifact.Path} is missing; an administrator must restore it.");
        using var copy = new MemoryStream((int)Math.Min(artifact.Size, int.MaxValue));
        await stream.CopyToAsync(copy, ct);
        var bytes = copy.ToArray();
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), artifact.Sha256, StringComparison.Ordinal))
            throw new GoldenCheckException($"The stored content of {artifact.Path} does not match its digest; the check did not run on it.");
        return bytes;
    }

    private static async Task ProgressAsync(PortalDbContext db, JobRun run, int percent, CancellationToken ct)
    {
        run.ReportProgress(percent);
        await db.SaveChangesAsync(ct);
    }

    // On the run's own connection, its failed work cleared: a second connection held beside the first could wait on an empty pool.
    private async Task FailAsync(PortalDbContext db, Guid runId, string reason, Actor actor)
    {
        var run = await db.JobRuns.SingleAsync(r => r.Id == runId);
        if (run.IsFinished)
            return;
        var now = clock.GetUtcNow();
        run.Fail(now, reason);
        db.Record(actor, now, "golden-check.errored", "version", run.SubjectId, run.TeamId, after: new { Run = runId, Reason = reason });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private void Reached(string step, Guid runId)
    {
        foreach (var observer in observers)
            observer.Reached(step, runId);
    }
}
