using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Artifacts;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.Teams;

namespace Portal.Core.GoldenChecks;

public sealed record RunFile(string Role, string Path, string Sha256, long Size);

/// <summary>What an external runner needs: the one-time ticket (shown once), the check and the files to fetch by digest.</summary>
public sealed record ClaimedRun(Guid RunId, string Ticket, string Check, string Version, string? LabelColumn, IReadOnlyList<string> FeatureColumns,
    IReadOnlyList<string> SliceColumns, IReadOnlyList<string> Metrics, string? PositiveClass, DateTimeOffset ReportBy, IReadOnlyList<RunFile> Files);

/// <summary>An external runner's figures, as it posts them.</summary>
public sealed record ExternalResults(string Runtime, long RowCount, long DurationMs, long RuntimeMs, IReadOnlyList<GoldenFigure> Figures);

/// <summary>
/// Golden-check runs of formats the portal never deserializes: a runner (a token granted the right to
/// record evidence) claims the oldest waiting run of its team, fetches its files by digest with the run's
/// one-time ticket, and posts the figures, which are judged and stored like the portal's own.
/// </summary>
public sealed class ExternalRunService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IArtifactStore store)
{
    public static readonly TimeSpan ReportWindow = TimeSpan.FromHours(2);

    public async Task<Result<ClaimedRun>> ClaimAsync(CallerAccess caller, string team, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.RecordEvidence, AccessTarget.Team(team)) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var teamId = await db.TeamIdAsync(team, ct);
        if (teamId is null)
            return TeamErrors.NotFound(team);
        // Oldest first; a run another runner claimed a moment ago loses the revision race and the next one is tried.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var run = await db.JobRuns.Where(r => r.TeamId == teamId && r.External && r.Kind == JobKinds.GoldenCheck && r.State == JobRunState.Queued
                    && r.DeadlineAt >= now).OrderBy(r => r.QueuedAt).FirstOrDefaultAsync(ct);
            if (run is null)
                return GoldenCheckErrors.NothingToClaim;
            var ticket = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            run.Claim(now);
            run.TicketHash = Hash(ticket);
            run.ClaimedBy = caller.Actor.Name;
            run.DeadlineAt = now + ReportWindow;
            db.Record(caller.Actor, now, "golden-check.claimed", "version", run.SubjectId, run.TeamId, after: new { Run = run.Id, Runner = caller.Actor.Name });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                continue;
            }
            var check = await db.GoldenChecks.AsNoTracking().SingleAsync(c => c.Id == run.DefinitionId, ct);
            var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Id == Guid.Parse(run.SubjectId), ct);
            return new ClaimedRun(run.Id, ticket, check.Name, version.Version, check.LabelColumn, check.FeatureColumns, check.SliceColumns, check.Metrics,
                check.PositiveClass, run.DeadlineAt!.Value, await FilesAsync(db, run, check, ct));
        }
        return GoldenCheckErrors.NothingToClaim;
    }

    /// <summary>One of the run's files by digest, for the holder of its ticket; the read is audited like a download.</summary>
    public async Task<Result<(Stream Content, RunFile File)>> OpenAsync(CallerAccess caller, string team, Guid runId, string ticket, string sha256,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await TicketedAsync(db, caller, team, runId, ticket, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var (run, check) = found.Value;
        var file = (await FilesAsync(db, run, check, ct)).FirstOrDefault(f => f.Sha256 == sha256);
        if (file is null)
            return GoldenCheckErrors.FileNotInRun;
        var stream = await store.OpenReadAsync(sha256, ct);
        if (stream is null)
            return Assets.RegistryErrors.BlobCorrupt;
        db.Record(caller.Actor, clock.GetUtcNow(), "artifact.downloaded", "version", run.SubjectId, run.TeamId,
            after: new { file.Path, file.Sha256, Run = run.Id });
        await db.SaveChangesAsync(ct);
        return (stream, file);
    }

    public async Task<Result<GoldenResultView>> CompleteAsync(CallerAccess caller, string team, Guid runId, string ticket, ExternalResults results,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await TicketedAsync(db, caller, team, runId, ticket, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var (run, check) = found.Value;
        if (Problems(results, check) is { Count: > 0 } problems)
            return GoldenCheckErrors.Invalid(problems);
        var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Id == Guid.Parse(run.SubjectId), ct);
        if ((await FilesAsync(db, run, check, ct)).FirstOrDefault(f => f.Role == "model") is not { } model)
            return GoldenCheckErrors.NoModelFile;
        run.TicketHash = null;
        try
        {
            var stored = await GoldenResultWriter.StoreAsync(db, run, check, version,
                new GoldenOutcome("external:" + results.Runtime, model.Sha256, results.RowCount, results.DurationMs, results.RuntimeMs, results.Figures),
                caller.Actor, clock.GetUtcNow(), ct);
            return new GoldenResultView(run.Id, check.Name, stored.Version, stored.DatasetVersion, stored.DatasetSha256, stored.ModelSha256, stored.Runtime,
                stored.RowCount, stored.DurationMs, stored.RuntimeMs, stored.Passed, stored.Findings, stored.CompletedAt);
        }
        catch (DbUpdateException)
        {
            // A second post of the same run (its ticket raced itself): the first stored the one result set.
            return GoldenCheckErrors.RunFinished;
        }
    }

    private async Task<Result<(JobRun Run, GoldenCheck Check)>> TicketedAsync(PortalDbContext db, CallerAccess caller, string team, Guid runId, string ticket,
        CancellationToken ct)
    {
        if (AccessGate.Check(caller, PortalAction.RecordEvidence, AccessTarget.Team(team)) is { } denied)
            return denied;
        var run = await db.JobRuns.SingleOrDefaultAsync(r => r.Id == runId && r.External && db.Teams.Any(t => t.Id == r.TeamId && t.Slug == team), ct);
        if (run is null)
            return GoldenCheckErrors.RunNotFound;
        // Past its deadline a run is the sweeper's to fail, even before the sweeper has come by.
        if (run.IsFinished || run.DeadlineAt < clock.GetUtcNow())
            return GoldenCheckErrors.RunFinished;
        if (run.TicketHash is null || string.IsNullOrEmpty(ticket)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(run.TicketHash), Encoding.ASCII.GetBytes(Hash(ticket))))
            return GoldenCheckErrors.TicketInvalid;
        return (run, await db.GoldenChecks.AsNoTracking().SingleAsync(c => c.Id == run.DefinitionId, ct));
    }

    private static async Task<IReadOnlyList<RunFile>> FilesAsync(PortalDbContext db, JobRun run, GoldenCheck check, CancellationToken ct)
    {
        var versionId = Guid.Parse(run.SubjectId);
        var model = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == versionId).OrderBy(a => a.Path)
            .Select(a => new RunFile("model", a.Path, a.Sha256, a.Size)).ToListAsync(ct);
        var data = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == check.DatasetVersionId && a.Path == check.DatasetPath)
            .Select(a => new RunFile("golden-data", a.Path, a.Sha256, a.Size)).ToListAsync(ct);
        return [.. model, .. data];
    }

    private static Dictionary<string, string[]> Problems(ExternalResults results, GoldenCheck check)
    {
        var p = new Dictionary<string, string[]>();
        if (results.Figures is not { Count: > 0 and <= 10_000 } figures)
            return new() { ["figures"] = ["Between 1 and 10,000 figures."] };
        if (figures.Select(f => f.Metric).Except(check.Metrics).ToList() is { Count: > 0 } stray)
            p["figures"] = [$"Metrics the check does not ask for: {string.Join(", ", stray.Take(5))}."];
        else if (figures.Any(f => double.IsInfinity(f.Value) || (f.Slice ?? "").Length > 200 || Names.HasUnsafeCharacters(f.Slice)))
            p["figures"] = ["Values are finite numbers (NaN where not computable) and slices at most 200 plain characters."];
        else if (!figures.Any(f => f.Slice == ""))
            p["figures"] = ["At least one overall figure (empty slice)."];
        else if (figures.GroupBy(f => (f.Metric, f.Slice)).FirstOrDefault(g => g.Count() > 1) is { } twice)
            p["figures"] = [$"One figure per metric and slice: {twice.Key.Metric} ({(twice.Key.Slice.Length == 0 ? "overall" : twice.Key.Slice)}) is given {twice.Count()} times."];
        if (string.IsNullOrWhiteSpace(results.Runtime) || results.Runtime.Length > 11 || !Slug.IsValid(results.Runtime))
            p["runtime"] = ["A short lower-case name of the runtime, e.g. sklearn or torch."];
        if (results.RowCount < 0 || results.DurationMs < 0 || results.RuntimeMs < 0)
            p["rowCount"] = ["Counts and durations are zero or more."];
        return p;
    }

    private static string Hash(string ticket) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ticket)));
}
