namespace Portal.Core.Exports;

/// <summary>
/// A printable document as a list of blocks, free of any drawing library: the dossier and the period
/// report are composed into it, and a renderer (SkiaSharp's PDF backend today) lays it out on pages.
/// </summary>
public sealed record ReportDocument(string Title, string HeaderNote, string FooterNote, IReadOnlyList<ReportBlock> Blocks);

public abstract record ReportBlock;

/// <summary>Level 1 opens a section (and is kept with what follows); level 2 a sub-section.</summary>
public sealed record HeadingBlock(string Text, int Level = 1) : ReportBlock;

public sealed record ParagraphBlock(string Text, bool Muted = false) : ReportBlock;

public sealed record KeyValueBlock(IReadOnlyList<KeyValuePair<string, string>> Pairs) : ReportBlock;

/// <summary>
/// A table whose rows break across pages; the header row repeats on every page it spans. The rows may be a
/// lazy projection of the content: the renderer enumerates them once per layout pass and keeps none.
/// </summary>
public sealed record TableBlock(IReadOnlyList<TableColumn> Columns, IEnumerable<IReadOnlyList<string>> Rows) : ReportBlock
{
    /// <summary>Set in smaller type, for machine-checkable material such as proofs.</summary>
    public bool Small { get; init; }
}

/// <summary>A column's share of the width, and whether it holds ids or hashes (set in a fixed-width font).</summary>
public sealed record TableColumn(string Title, float Weight, bool Monospace = false);

public sealed record PageBreakBlock : ReportBlock;

/// <summary>How many pages a rendering produced.</summary>
public sealed record RenderedReport(int Pages);

/// <summary>Draws a <see cref="ReportDocument"/> as a PDF with embedded fonts, so its text can be selected and searched.</summary>
public interface IReportRenderer
{
    /// <param name="progress">Receives the share of the rendering done so far, 0 to 1.</param>
    RenderedReport RenderPdf(ReportDocument document, Stream output, IProgress<double>? progress = null, CancellationToken ct = default);
}
