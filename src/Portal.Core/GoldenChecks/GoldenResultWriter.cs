using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.Versions;

namespace Portal.Core.GoldenChecks;

/// <summary>What a finished run measured, from a worker of the portal or from an external runner.</summary>
public sealed record GoldenOutcome(string Runtime, string ModelSha256, long RowCount, long DurationMs, long RuntimeMs, IReadOnlyList<GoldenFigure> Figures);

/// <summary>
/// Stores a run's outcome in one transaction: the result, its figures as metrics with source
/// <c>golden-check</c>, the run's end and the audit events (and, for a failing Production version, the
/// alert to the team's Approvers). The result's unique run id makes a replay store nothing twice.
/// </summary>
public static class GoldenResultWriter
{
    public static async Task<GoldenCheckResult> StoreAsync(PortalDbContext db, JobRun run, GoldenCheck check, AssetVersion version, GoldenOutcome outcome,
        Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var dataset = await db.Versions.AsNoTracking().Where(v => v.Id == check.DatasetVersionId).Select(v => v.Version).SingleAsync(ct);
        var datasetSha = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == check.DatasetVersionId && a.Path == check.DatasetPath)
            .Select(a => a.Sha256).SingleAsync(ct);
        var production = await ProductionFiguresAsync(db, check, version.Id, ct);
        var findings = GoldenJudge.Judge(check, outcome.Figures, production);
        var result = new GoldenCheckResult
        {
            RunId = run.Id, CheckId = check.Id, TeamId = check.TeamId, AssetId = check.AssetId, VersionId = version.Id, Version = version.Version,
            DatasetVersionId = check.DatasetVersionId, DatasetVersion = dataset, DatasetSha256 = datasetSha, ModelSha256 = outcome.ModelSha256,
            Runtime = outcome.Runtime, RowCount = outcome.RowCount, DurationMs = outcome.DurationMs, RuntimeMs = outcome.RuntimeMs,
            Passed = findings.All(f => f.Passed), Findings = [.. findings], CompletedAt = now,
        };
        db.GoldenCheckResults.Add(result);
        foreach (var figure in outcome.Figures.Where(f => !double.IsNaN(f.Value)))
            db.Metrics.Add(new Metric
            {
                VersionId = version.Id, Name = figure.Metric, Slice = figure.Slice, Value = figure.Value, Source = MetricSource.GoldenCheck,
                RunId = run.Id, RecordedAt = now, RecordedBy = actor.Name,
            });
        var failed = findings.Where(f => !f.Passed).Select(f => $"{f.Metric}{(f.Slice.Length > 0 ? $" ({f.Slice})" : "")}").ToList();
        run.Succeed(now, JsonSerializer.Serialize(new { result.Passed, result.RowCount, Failed = failed }));
        db.Record(actor, now, "golden-check.completed", "version", version.Id.ToString(), check.TeamId, after: new
        {
            Run = run.Id, Check = check.Name, Version = version.Version, result.Passed, result.Runtime, result.RowCount, Failed = failed,
            Dataset = dataset, DatasetSha256 = datasetSha, result.ModelSha256,
        });
        if (!result.Passed && version.Stage == Lifecycle.Stage.Production)
        {
            db.Notifications.Add(new Notification
            {
                TeamId = check.TeamId, Audience = Notification.Approvers, Kind = "golden-check.failed",
                Title = $"Golden check '{check.Name}' failed on Production {version.Version}",
                Body = Names.Cut($"Not met: {string.Join(", ", failed)}.", Notification.MaxBodyLength), SubjectId = version.Id, CreatedAt = now,
            });
            db.Record(actor, now, "golden-check.production-failed", "version", version.Id.ToString(), check.TeamId,
                after: new { Run = run.Id, Check = check.Name, Version = version.Version, Failed = failed });
        }
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>The current Production version's overall figures from its latest golden run of the same check.</summary>
    private static async Task<IReadOnlyDictionary<string, double>?> ProductionFiguresAsync(PortalDbContext db, GoldenCheck check, Guid candidateId, CancellationToken ct)
    {
        var latest = await (
            from r in db.GoldenCheckResults.AsNoTracking()
            join v in db.Versions on r.VersionId equals v.Id
            where r.CheckId == check.Id && v.Stage == Lifecycle.Stage.Production && v.Id != candidateId
            orderby r.CompletedAt descending
            select r.RunId).FirstOrDefaultAsync(ct);
        if (latest == Guid.Empty)
            return null;
        // Grouped: a run stored before duplicate figures were refused must not break every later run of the check.
        var figures = await db.Metrics.AsNoTracking().Where(m => m.RunId == latest && m.Slice == "").Select(m => new { m.Name, m.Value }).ToListAsync(ct);
        return figures.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.First().Value);
    }
}
