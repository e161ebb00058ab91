using System.Globalization;

namespace Portal.Core.Exports;

/// <summary>How exports spell times, lists and empty values, the same in every section.</summary>
internal static class ExportText
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A time in a table cell; the document says once that times are UTC.</summary>
    public static string Cell(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    public static string OrNone(string? text) => string.IsNullOrWhiteSpace(text) ? "none" : text.Trim();

    public static IReadOnlyList<KeyValuePair<string, string>> HeaderPairs(ExportHeader h) =>
    [
        new("Export", h.ExportId.ToString()),
        new("Covers", h.Scope),
        new("Issued to", h.IssuedTo),
        new("Generated", Time(h.GeneratedAt) + " (all times in this export are UTC)"),
        new("Checking this file", "Upload it on the portal's Audit → Check an export page: its SHA-256 is recorded in the audit log when it is issued."),
    ];

    /// <summary>A table, or "None recorded." when there is nothing to list.</summary>
    public static ReportBlock TableOrNone(int count, IReadOnlyList<TableColumn> columns, IEnumerable<IReadOnlyList<string>> rows) =>
        count == 0 ? new ParagraphBlock("None recorded.", Muted: true) : new TableBlock(columns, rows);
}
