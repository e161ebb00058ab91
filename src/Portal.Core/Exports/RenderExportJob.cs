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
            export.Content = bytes;
            export.Sha256 = sha256;
            export.Length = bytes.Length;
            export.Pages = pages;
            export.FileName = FileName(export, now);
            export.State = ExportState.Completed;
            export.Progress = 100;
            export.ProgressNote = "Ready to download";
            export.CompletedAt = now;
            db.Record(job, now, "export.issued", "export", export.Id.ToString(), export.TeamId, after: new
            {
                Sha256 = sha256, export.Length, export.Pages, export.Kind, export.Format, Team = export.TeamSlug, Asset = export.AssetName, export.AssetId,
                export.From, export.To, IssuedTo = export.RequestedBy, export.FileName,
            });
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The user sees why on the export; retrying an export that cannot be made helps nobody.
            db.ChangeTracker.Clear();
            var failed = await db.AuditExports.SingleAsync(x => x.Id == exportId, ct);
            failed.State = ExportState.Failed;
            failed.Failure = "The export could not be made; try again, and tell an administrator if it keeps failing.";
            failed.ProgressNote = "Failed";
            failed.Content = null;
            db.Record(job, clock.GetUtcNow(), "export.failed", "export", exportId.ToString(), failed.TeamId, after: new { Error = ex.GetType().Name });
            await db.SaveChangesAsync(ct);
        }
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

    /// <summary>The person the export was made for, with their roles as they stand when it is drawn; null for anyone else.</summary>
    private static async Task<CallerAccess?> RequesterAsync(PortalDbContext db, AuditExport export, CancellationToken ct) =>
        Guid.TryParse(export.RequestedByKey, out var userId) ? await AccessService.ForUserAsync(db, userId, Actor.ForUser(userId, export.RequestedBy), ct) : null;

    private async Task<AuditProofBundle> ProveAsync(PortalDbContext db, string team, IReadOnlyCollection<AuditSubject> subjects, CancellationToken ct)
    {
        var bundle = await proofs.ProveAsync(db, CallerAccess.ForJob(Actor.Job(Id)), team, subjects, ct);
        return bundle.IsSuccess ? bundle.Value : throw new InvalidOperationException($"The audit proofs could not be read: {bundle.Error!.Message}");
    }

    // Written at once (no transaction is open), so the user watching the export sees it move.
    private static async Task ReportAsync(PortalDbContext db, Guid id, int percent, string note, CancellationToken ct)
    {
        await db.AuditExports.Where(x => x.Id == id)
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
