using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Data;

namespace Portal.Core.Exports;

/// <summary>
/// A team's (or every team's) period, read from the audit log: the log is the record of what happened,
/// and every section below is a set of its actions, so the report and the log cannot disagree.
/// </summary>
internal static class PeriodReportReader
{
    private static readonly (string Key, string Title, Func<string, bool> Matches)[] Sections =
    [
        ("registered", "Registered", a => a is "asset.created" or "version.registered"),
        ("promoted", "Promoted and moved", a => a is "transition.applied" or "stage.changed"),
        ("rolled-back", "Rolled back", a => a == "rollback.performed"),
        ("decisions", "Approved and rejected, by whom", a => a is "transition.approved" or "transition.rejected"),
        ("refused", "Refused, and why", a => a is "transition.refused" or "transition.decision-refused" or "transition.expired"),
        ("policy-changes", "Policy changes", a => a.StartsWith("policy.", StringComparison.Ordinal)),
        ("access-changes", "Access changes", a => a.StartsWith("membership.", StringComparison.Ordinal) || a.StartsWith("token.", StringComparison.Ordinal)
            || a.StartsWith("global-role.", StringComparison.Ordinal) || a is "user.disabled" or "user.enabled" or "asset.shared" or "asset.unshared"),
        ("failed-verifications", "Failed verifications", a => a.Contains("verif", StringComparison.Ordinal) && a.Contains("fail", StringComparison.Ordinal)),
    ];

    public static async Task<PeriodReportContent> ReadAsync(PortalDbContext db, ExportHeader header, Guid? teamId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct)
    {
        var query = db.AuditEvents.AsNoTracking().Where(e => e.OccurredAt >= from && e.OccurredAt < to);
        if (teamId is { } id)
            query = query.Where(e => e.TeamId == id);
        var events = await query.OrderBy(e => e.Sequence).ToListAsync(ct);
        var wanted = events.Where(e => Sections.Any(s => s.Matches(e.Action))).ToList();

        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Slug, ct);
        var subjects = await SubjectNamesAsync(db, wanted, ct);
        var team = teamId is { } t ? teams.GetValueOrDefault(t, "?") : "all teams";
        return new PeriodReportContent(header, team, from, to, Sections
            .Select(s => new ReportSection(s.Key, s.Title, wanted.Where(e => s.Matches(e.Action))
                .Select(e => new ReportEntry(e.Sequence, e.OccurredAt, e.ActorName, e.Action, e.TeamId is { } et ? teams.GetValueOrDefault(et, "?") : "",
                    subjects.GetValueOrDefault(e.SubjectId, e.SubjectType + " " + e.SubjectId), Details(e)))
                .ToList()))
            .ToList());
    }

    /// <summary>Asset and version ids named as people read them: <c>churn-classifier@1.2.0</c>.</summary>
    private static async Task<Dictionary<string, string>> SubjectNamesAsync(PortalDbContext db, List<AuditEvent> events, CancellationToken ct)
    {
        var ids = events.Where(e => e.SubjectType is "asset" or "version").Select(e => Guid.TryParse(e.SubjectId, out var g) ? g : Guid.Empty)
            .Where(g => g != Guid.Empty).Distinct().ToList();
        var names = new Dictionary<string, string>();
        foreach (var chunk in ids.Chunk(500))
        {
            var assets = await db.Assets.AsNoTracking().Where(a => chunk.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
            foreach (var a in assets)
                names[a.Id.ToString()] = a.Name;
            var versions = await db.Versions.AsNoTracking().Where(v => chunk.Contains(v.Id))
                .Join(db.Assets, v => v.AssetId, a => a.Id, (v, a) => new { v.Id, Text = a.Name + "@" + v.Version }).ToListAsync(ct);
            foreach (var v in versions)
                names[v.Id.ToString()] = v.Text;
        }
        return names;
    }

    /// <summary>What the event changed, flattened to "Key: value; ..." from its after (or before) state.</summary>
    private static string Details(AuditEvent e)
    {
        var json = e.After ?? e.Before;
        if (string.IsNullOrEmpty(json))
            return "";
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return json;
            return string.Join("; ", doc.RootElement.EnumerateObject().Select(p => p.Name + ": " + (p.Value.ValueKind == JsonValueKind.String
                ? p.Value.GetString() : p.Value.GetRawText())));
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
