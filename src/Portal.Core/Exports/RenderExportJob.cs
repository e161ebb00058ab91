using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Exports;

/// <summary>
/// Makes one export: reads the content, writes the PDF or JSON, and in one transaction stores the file
/// and records <c>export.issued</c> with its SHA-256. Takes only the export's id and is safe to run twice
/// (a finished or failed export is left alone). The gate was passed when the export was started and is
/// asked again at download.
/// </summary>
public sealed class RenderExportJob(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IReportRenderer renderer, AuditProofService proofs)
{
    public const string Id = "render-export";

    /// <summary>An export still unfinished this long after it was asked for is failed at start-up instead of being made again.</summary>
    public static readonly TimeSpan ResumeWithin = TimeSpan.FromHours(24);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task RunAsync(Guid exportId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await db.AuditExports.SingleOrDefaultAsync(x => x.Id == exportId, ct);
        if (export is null || export.State is ExportState.Completed or ExportState.Failed)
            return;
        var job = Actor.Job(Id);
        try
        {
            await ReportAsync(db, exportId, 5, "Reading the records", ct);
            var (bytes, pages) = await MakeAsync(db, export, ct);
            var now = clock.GetUtcNow();
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            await FinishAsync(db, exportId, ct, x =>
            {
                x.Content = bytes;
                x.Sha256 = sha256;
                x.Length = bytes.Length;
                x.Pages = pages;
                x.FileName = FileName(x, now);
                x.State = ExportState.Completed;
                x.Progress = 100;
                x.ProgressNote = "Ready to download";
                x.CompletedAt = now;
                db.Record(job, now, "export.issued", "export", x.Id.ToString(), x.TeamId, after: new
                {
                    Sha256 = sha256, x.Length, x.Pages, x.Kind, x.Format, Team = x.TeamSlug, Asset = x.AssetName, x.AssetId,
                    x.From, x.To, IssuedTo = x.RequestedBy, x.FileName,
                });
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The user sees why on the export; retrying an export that cannot be made helps nobody.
            db.ChangeTracker.Clear();
            await FinishAsync(db, exportId, ct, x => Fail(db, x, job, "The export could not be made; try again, and tell an administrator if it keeps failing.",
                ex.GetType().Name));
        }
    }

    /// <summary>
    /// Exports a restart interrupted (the embedded default's job queue lives in memory), to queue again; those asked for more than
    /// <see cref="ResumeWithin"/> ago are failed with the reason instead, so none stays "Running" for ever.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ResumableAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cutoff = clock.GetUtcNow() - ResumeWithin;
        var unfinished = await db.AuditExports.AsNoTracking().Where(x => x.State == ExportState.Queued || x.State == ExportState.Running)
            .Select(x => new { x.Id, x.RequestedAt }).ToListAsync(ct);
        foreach (var old in unfinished.Where(x => x.RequestedAt < cutoff))
            await FinishAsync(db, old.Id, ct, x => Fail(db, x, Actor.Job(Id), "The export was interrupted by a restart too long ago to be made again; ask for it again.",
                "interrupted"));
        return unfinished.Where(x => x.RequestedAt >= cutoff).Select(x => x.Id).ToList();
    }

    /// <summary>
    /// Finishes an export once: in one unit, a conditional update claims it (a second worker's waits for the first to commit and then
    /// finds it finished), then <paramref name="finish"/> sets what it became and records the event; an export already finished is left alone.
    /// </summary>
    private static async Task FinishAsync(PortalDbContext db, Guid exportId, CancellationToken ct, Action<AuditExport> finish)
    {
        await using var tx = await db.BeginUnitAsync(ct);
        var claimed = await db.AuditExports.Where(x => x.Id == exportId && (x.State == ExportState.Queued || x.State == ExportState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProgressNote, "Finishing"), ct);
        if (claimed == 0)
            return;
        var export = await db.AuditExports.SingleAsync(x => x.Id == exportId, ct);
        finish(export);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private void Fail(PortalDbContext db, AuditExport export, Actor job, string failure, string error)
    {
        export.State = ExportState.Failed;
        export.Failure = failure;
        export.ProgressNote = "Failed";
        export.Content = null;
        db.Record(job, clock.GetUtcNow(), "export.failed", "export", export.Id.ToString(), export.TeamId, after: new { Error = error });
    }

    private async Task<(byte[] Bytes, int Pages)> MakeAsync(PortalDbContext db, AuditExport export, CancellationToken ct)
    {
        var header = new ExportHeader(export.Id, export.Kind, export.RequestedBy, clock.GetUtcNow(), Scope(export));
        object content = export.Kind == ExportKind.Dossier
            ? await DossierReader.ReadAsync(db, header, export.AssetId!.Value, await RequesterAsync(db, export, ct), subjects => ProveAsync(db, export.TeamSlug!, subjects, ct),
                withPaths: export.Format == ExportFormat.Json, ct)
            : await PeriodReportReader.ReadAsync(db, header, export.TeamId, export.From!.Value, export.To!.Value, ct);
        await ReportAsync(db, export.Id, 30, export.Format == ExportFormat.Pdf ? "Laying out pages" : "Writing JSON", ct);
        if (export.Format == ExportFormat.Json)
            return (JsonSerializer.SerializeToUtf8Bytes(content, content.GetType(), Json), 0);

        var document = content is DossierContent d ? DossierComposer.Compose(d) : PeriodReportComposer.Compose((PeriodReportContent)content);
        using var output = new MemoryStream();
        var lastReported = 30;
        var progress = new SyncProgress(share =>
        {
            var percent = 30 + (int)(share * 65);
            if (percent < lastReported + 10)
                return;
            lastReported = percent;
            // The renderer is synchronous: progress is written from its thread, on the job's context, which waits for the renderer meanwhile.
            ReportAsync(db, export.Id, percent, share < 0.3 ? "Laying out pages" : "Drawing pages", ct).GetAwaiter().GetResult();
        });
        var rendered = renderer.RenderPdf(document, output, progress, ct);
        return (output.ToArray(), rendered.Pages);
    }

    /// <summary>
    /// Who the export was made for, as they stand when it is drawn: the token that asked (what it may read now), else the person with their
    /// roles; null for anyone else.
    /// </summary>
    private async Task<CallerAccess?> RequesterAsync(PortalDbContext db, AuditExport export, CancellationToken ct) =>
        export.RequestedByTokenId is { } tokenId ? await ApiTokenService.AccessNowAsync(db, tokenId, clock.GetUtcNow(), ct)
        : Guid.TryParse(export.RequestedByKey, out var userId) ? await AccessService.ForUserAsync(db, userId, Actor.ForUser(userId, export.RequestedBy), ct) : null;

    private async Task<AuditProofBundle> ProveAsync(PortalDbContext db, string team, IReadOnlyCollection<AuditSubject> subjects, CancellationToken ct)
    {
        var bundle = await proofs.ProveAsync(db, CallerAccess.ForJob(Actor.Job(Id)), team, subjects, ct);
        return bundle.IsSuccess ? bundle.Value : throw new InvalidOperationException($"The audit proofs could not be read: {bundle.Error!.Message}");
    }

    // Written at once (no transaction is open), so the user watching the export sees it move; never over an export another worker finished.
    private static async Task ReportAsync(PortalDbContext db, Guid id, int percent, string note, CancellationToken ct)
    {
        await db.AuditExports.Where(x => x.Id == id && (x.State == ExportState.Queued || x.State == ExportState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, ExportState.Running).SetProperty(x => x.Progress, percent).SetProperty(x => x.ProgressNote, note), ct);
    }

    internal static string Scope(AuditExport e) => e.Kind == ExportKind.Dossier
        ? $"Asset {e.TeamSlug}/{e.AssetName}"
        : $"{e.TeamSlug ?? "All teams"}, {ExportText.Time(e.From!.Value)} to {ExportText.Time(e.To!.Value)}";

    private static string FileName(AuditExport e, DateTimeOffset at)
    {
        var stem = e.Kind == ExportKind.Dossier ? $"dossier-{e.TeamSlug}-{e.AssetName}" : $"report-{e.TeamSlug ?? "all-teams"}";
        return $"{stem}-{at.UtcDateTime:yyyyMMdd-HHmmss}.{(e.Format == ExportFormat.Pdf ? "pdf" : "json")}";
    }

    /// <summary>Calls back on the reporting thread, unlike <see cref="Progress{T}"/>, which posts to a context.</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
