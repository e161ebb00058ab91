using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Exports;

/// <summary>What to export: a dossier (team and asset) or a period report (a team, or none for every team, and a date range).</summary>
public sealed record ExportRequest(string? Kind, string? Format, string? Team, string? Asset, DateTimeOffset? From, DateTimeOffset? To);

public sealed record ExportView(Guid Id, ExportKind Kind, ExportFormat Format, string? Team, string? Asset, DateTimeOffset? From, DateTimeOffset? To,
    DateTimeOffset RequestedAt, ExportState State, int Progress, string ProgressNote, DateTimeOffset? CompletedAt, string? FileName, string? Sha256,
    long Length, int Pages, string? Failure);

public sealed record ExportFile(string FileName, string ContentType, byte[] Content, string Sha256);

/// <summary>Queues the render job of an export; Hangfire in the host.</summary>
public interface IExportQueue
{
    void Enqueue(Guid exportId);
}

/// <summary>
/// Starts exports (after the gate), shows their progress to the person they are issued to and hands
/// out the finished file. A revoked role stops the download even of a file already made.
/// </summary>
public sealed class ExportService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IExportQueue queue)
{
    private const int MaxPeriodDays = 3 * 366;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<Result<ExportView>> StartAsync(CallerAccess caller, ExportRequest request, CancellationToken ct = default)
    {
        var kind = request.Kind?.Trim().ToLowerInvariant() switch
        {
            "dossier" => ExportKind.Dossier,
            null or "" or "report" or "period-report" => ExportKind.PeriodReport,
            _ => (ExportKind?)null,
        };
        if (kind is null)
            return ExportErrors.Invalid("kind", "Kind is 'dossier' (one asset) or 'report' (a team or every team over a period).");
        var format = request.Format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "pdf" => ExportFormat.Pdf,
            "json" => ExportFormat.Json,
            _ => (ExportFormat?)null,
        };
        if (format is null)
            return ExportErrors.Invalid("format", "Format is 'pdf' or 'json'.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var export = new AuditExport
        {
            Kind = kind.Value,
            Format = format.Value,
            RequestedByKey = caller.Actor.PersonKey,
            RequestedByTokenId = TokenOf(caller),
            RequestedBy = caller.Actor.Name,
            RequestedAt = now,
        };
        if (kind == ExportKind.Dossier)
        {
            if (string.IsNullOrWhiteSpace(request.Team) || string.IsNullOrWhiteSpace(request.Asset))
                return ExportErrors.Invalid("asset", "A dossier needs the team and the asset.");
            var found = await RegistryAccess.FindAsync(db, caller, request.Team.Trim(), request.Asset.Trim(), PortalAction.ExportAudit, ct);
            if (!found.IsSuccess)
                return found.Error!;
            (export.TeamId, export.TeamSlug, export.AssetId, export.AssetName) = (found.Value.Team.Id, found.Value.Team.Slug, found.Value.Asset.Id, found.Value.Asset.Name);
        }
        else
        {
            // The portal keeps nothing from before 2000 or after tomorrow; outside that, date arithmetic would overflow, not answer.
            if (request.From is { } f && (f < Earliest || f > now.AddDays(1)) || request.To is { } t && (t < Earliest || t > now.AddDays(1)))
                return ExportErrors.Invalid("from", "The period must fall between 2000-01-01 and tomorrow.");
            // As UTC, as events are stored: PostgreSQL refuses another offset, and a report's window is its instants, not local dates.
            var to = request.To?.ToUniversalTime() ?? now;
            var from = request.From?.ToUniversalTime() ?? to.AddDays(-30);
            if (from >= to || (to - from).TotalDays > MaxPeriodDays)
                return ExportErrors.Invalid("from", $"The period must start before it ends and span at most {MaxPeriodDays} days.");
            (export.From, export.To) = (from, to);
            if (string.IsNullOrWhiteSpace(request.Team))
            {
                // Every team at once: only the global readers see every team.
                if (AccessGate.Check(caller, PortalAction.VerifyAudit) is { } denied)
                    return denied;
            }
            else
            {
                var slug = request.Team.Trim();
                if (AccessGate.Check(caller, PortalAction.ExportAudit, slug) is { } denied)
                    return denied;
                var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, ct);
                if (team is null)
                    return TeamErrors.NotFound(slug);
                (export.TeamId, export.TeamSlug) = (team.Id, team.Slug);
            }
        }

        db.AuditExports.Add(export);
        db.Record(caller.Actor, now, "export.requested", "export", export.Id.ToString(), export.TeamId,
            after: new { export.Kind, export.Format, Team = export.TeamSlug, Asset = export.AssetName, export.AssetId, export.From, export.To });
        await db.SaveChangesAsync(ct);
        queue.Enqueue(export.Id);
        return View(export);
    }

    public async Task<Result<ExportView>> GetAsync(CallerAccess caller, string id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await MineAsync(db, caller, id, ct);
        return export is null ? ExportErrors.NotFound(id) : export;
    }

    /// <summary>The caller's own exports, newest first.</summary>
    public async Task<Result<IReadOnlyList<ExportView>>> ListAsync(CallerAccess caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Views(Mine(db, caller).OrderByDescending(x => x.RequestedAt).Take(50)).ToListAsync(ct);
        return rows;
    }

    /// <summary>The finished file, for the person it was issued to while they still may export that team; each download is audited.</summary>
    public async Task<Result<ExportFile>> DownloadAsync(CallerAccess caller, string id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await MineAsync(db, caller, id, ct);
        if (view is null)
            return ExportErrors.NotFound(id);
        if (MayStillSee(caller, view) is { } denied)
            return denied;
        if (view.State != ExportState.Completed)
            return ExportErrors.NotReady(view.State);
        var content = await db.AuditExports.AsNoTracking().Where(x => x.Id == view.Id).Select(x => x.Content).SingleAsync(ct);
        db.Record(caller.Actor, clock.GetUtcNow(), "export.downloaded", "export", view.Id.ToString(), await TeamIdAsync(db, view.Id, ct),
            after: new { view.FileName, view.Sha256 });
        await db.SaveChangesAsync(ct);
        return new ExportFile(view.FileName!, view.Format == ExportFormat.Pdf ? "application/pdf" : "application/json", content!, view.Sha256!);
    }

    internal static Error? MayStillSee(CallerAccess caller, ExportView view) => view.Team is null
        ? AccessGate.Check(caller, PortalAction.VerifyAudit)
        : AccessGate.Check(caller, PortalAction.ExportAudit, view.Asset is null ? AccessTarget.Team(view.Team) : AccessTarget.Asset(view.Team, view.Asset, false));

    private static Task<Guid?> TeamIdAsync(PortalDbContext db, Guid id, CancellationToken ct) =>
        db.AuditExports.Where(x => x.Id == id).Select(x => x.TeamId).SingleAsync(ct);

    private static async Task<ExportView?> MineAsync(PortalDbContext db, CallerAccess caller, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid))
            return null;
        return await Views(Mine(db, caller).Where(x => x.Id == guid)).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// A person's exports, those of their tokens included (a token reads no more than its issuer); a token's, only those it asked for:
    /// what its issuer exported was drawn with roles the token does not hold.
    /// </summary>
    private static IQueryable<AuditExport> Mine(PortalDbContext db, CallerAccess caller)
    {
        var key = caller.Actor.PersonKey;
        var token = TokenOf(caller);
        return db.AuditExports.AsNoTracking().Where(x => x.RequestedByKey == key && (token == null || x.RequestedByTokenId == token));
    }

    private static Guid? TokenOf(CallerAccess caller) =>
        caller.Actor.Kind == ActorKind.ServicePrincipal && Guid.TryParse(caller.Actor.Id, out var token) ? token : null;

    internal static IQueryable<ExportView> Views(IQueryable<AuditExport> exports) => exports.Select(x => new ExportView(x.Id, x.Kind, x.Format, x.TeamSlug,
        x.AssetName, x.From, x.To, x.RequestedAt, x.State, x.Progress, x.ProgressNote, x.CompletedAt, x.FileName, x.Sha256, x.Length, x.Pages, x.Failure));

    private static ExportView View(AuditExport x) => new(x.Id, x.Kind, x.Format, x.TeamSlug, x.AssetName, x.From, x.To, x.RequestedAt, x.State, x.Progress,
        x.ProgressNote, x.CompletedAt, x.FileName, x.Sha256, x.Length, x.Pages, x.Failure);
}
