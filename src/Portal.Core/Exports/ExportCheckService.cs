using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Exports;

/// <summary>The answer to "did the portal issue this file?", read from the audit log's <c>export.issued</c> event.</summary>
public sealed record ExportCheck(string Sha256, long Length, bool Issued, string Message, DateTimeOffset? IssuedAt = null, string? IssuedTo = null,
    long? AuditSequence = null, Guid? ExportId = null, ExportKind? Kind = null, string? Covers = null);

/// <summary>
/// Hashes an uploaded file and looks its SHA-256 up in the audit log. A file changed by one byte hashes
/// differently and is reported as not issued. Files of teams the caller may not export are answered
/// like unknown ones, so the check reveals nothing about other teams.
/// </summary>
public sealed class ExportCheckService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<ExportCheck>> CheckAsync(CallerAccess caller, Stream file, CancellationToken ct = default)
    {
        var (hash, length, head, tail) = await HashAsync(file, ct);
        if (length == 0)
            return ExportErrors.FileEmpty;
        if (length > AuditExport.MaxFileBytes)
            return ExportErrors.FileTooLarge;
        if (Malformed(head, tail, length) is { } malformed)
            return malformed;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var exports = await ExportService.Views(db.AuditExports.AsNoTracking().Where(x => x.Sha256 == hash && x.State == ExportState.Completed)).ToListAsync(ct);
        foreach (var export in exports.Where(x => ExportService.MayStillSee(caller, x) is null))
        {
            var subject = export.Id.ToString();
            var issued = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Action == "export.issued" && e.SubjectType == "export" && e.SubjectId == subject)
                .Select(e => new { e.Sequence, e.OccurredAt, e.After }).FirstOrDefaultAsync(ct);
            // The log, not the exports table, is the proof: the event must hold this very hash.
            if (issued?.After is null || !issued.After.Contains(hash, StringComparison.Ordinal))
                continue;
            var issuedTo = IssuedTo(issued.After) ?? "?";
            var covers = export.Asset is { } asset ? $"dossier of {export.Team}/{asset}" : $"period report of {export.Team ?? "all teams"}";
            return new ExportCheck(hash, length, true,
                $"This file was issued by the portal on {ExportText.Time(issued.OccurredAt)} to {issuedTo} (audit event #{issued.Sequence}).",
                issued.OccurredAt, issuedTo, issued.Sequence, export.Id, export.Kind, covers);
        }
        return new ExportCheck(hash, length, false,
            "No export with this SHA-256 was issued by the portal to a team you may see. If it claims to be an export, it was changed after it was issued.");
    }

    private static async Task<(string Hash, long Length, byte[] Head, byte[] Tail)> HashAsync(Stream file, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var head = new List<byte>(16);
        var tail = new Queue<byte>(1024);
        long length = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            length += read;
            for (var i = 0; i < read && head.Count < 16; i++)
                head.Add(buffer[i]);
            foreach (var b in buffer.AsSpan(Math.Max(0, read - 1024), Math.Min(read, 1024)))
            {
                if (tail.Count == 1024)
                    tail.Dequeue();
                tail.Enqueue(b);
            }
            if (length > AuditExport.MaxFileBytes)
                break;
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), length, head.ToArray(), tail.ToArray());
    }

    /// <summary>Only PDFs and JSON files can be exports; a cut-short PDF lacks its end marker.</summary>
    private static Error? Malformed(byte[] head, byte[] tail, long length)
    {
        var start = Encoding.ASCII.GetString(head).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (start.StartsWith("%PDF-", StringComparison.Ordinal))
            return Encoding.ASCII.GetString(tail).Contains("%%EOF", StringComparison.Ordinal) ? null : ExportErrors.DamagedPdf;
        if (start.StartsWith('{') || start.StartsWith('['))
            return (length <= tail.Length ? ValidJson(tail) : EndsLikeJson(tail)) ? null : ExportErrors.DamagedJson;
        return ExportErrors.NotAnExport;
    }

    /// <summary>A large JSON file is not parsed whole here; it must at least end like JSON (a cut-short one does not).</summary>
    private static bool EndsLikeJson(byte[] tail) => Encoding.ASCII.GetString(tail).TrimEnd() is { Length: > 0 } end && end[^1] is '}' or ']';

    private static bool ValidJson(byte[] whole)
    {
        try
        {
            using var _ = JsonDocument.Parse(whole);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? IssuedTo(string after)
    {
        using var doc = JsonDocument.Parse(after);
        return doc.RootElement.TryGetProperty("issuedTo", out var to) ? to.GetString() : null;
    }
}
