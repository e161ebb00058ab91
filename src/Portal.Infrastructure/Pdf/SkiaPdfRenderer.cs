using Portal.Core.Exports;
using SkiaSharp;

namespace Portal.Infrastructure.Pdf;

/// <summary>
/// Renders report documents with SkiaSharp's PDF backend (the engine QuestPDF draws with; QuestPDF
/// itself is not obtainable here, ADR in docs/decisions). Text is drawn as text with the embedded
/// DejaVu fonts, so readers can select, search and extract it.
/// </summary>
public sealed class SkiaPdfRenderer(TimeProvider clock) : IReportRenderer
{
    public RenderedReport RenderPdf(ReportDocument document, Stream output, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        using var fonts = new PdfFonts();
        // First pass: the page count for the footers, each page forgotten as soon as it is full.
        var pages = Layout(document, new PdfLayout(fonts, pageDone: null), progress, 0, 0.3, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var metadata = new SKDocumentPdfMetadata
        {
            Title = document.Title,
            Creator = "Portal",
            Producer = "Portal (SkiaSharp PDF)",
            Creation = now,
            Modified = now,
        };
        using var pdf = SKDocument.CreatePdf(output, metadata);
        using var paint = new SKPaint { IsAntialias = true };
        // Second pass: the same layout again, each page drawn and written out as it is handed over.
        var drawn = Layout(document, new PdfLayout(fonts, (ops, page) =>
        {
            ct.ThrowIfCancellationRequested();
            var canvas = pdf.BeginPage(PdfLayout.PageWidth, PdfLayout.PageHeight);
            DrawFrame(canvas, paint, fonts, document, page, pages);
            foreach (var op in ops)
                Draw(canvas, paint, fonts, op);
            pdf.EndPage();
        }), progress, 0.3, 0.7, ct);
        if (drawn != pages)
            throw new InvalidOperationException($"The layout counted {pages} pages but drew {drawn}.");
        pdf.Close();
        return new RenderedReport(pages);
    }

    /// <summary>Lays the whole document out once, reporting progress from <paramref name="from"/> over a share of <paramref name="share"/>.</summary>
    private static int Layout(ReportDocument document, PdfLayout layout, IProgress<double>? progress, double from, double share, CancellationToken ct)
    {
        var blocks = document.Blocks;
        var step = Math.Max(1, blocks.Count / 50);
        for (var i = 0; i < blocks.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            layout.Add(blocks[i]);
            if (i % step == 0)
                progress?.Report(from + share * i / blocks.Count);
        }
        layout.Finish();
        progress?.Report(from + share);
        return layout.PageCount;
    }

    private static void Draw(SKCanvas canvas, SKPaint paint, PdfFonts fonts, PageOp op)
    {
        switch (op)
        {
            case TextOp t:
                paint.Style = SKPaintStyle.Fill;
                paint.Color = t.Color;
                canvas.DrawText(t.Text, t.X, t.Baseline, SKTextAlign.Left, fonts.Get(t.Font, t.Size), paint);
                break;
            case RectOp r:
                paint.Style = SKPaintStyle.Fill;
                paint.Color = r.Fill;
                canvas.DrawRect(r.Rect, paint);
                break;
            case LineOp l:
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = 0.6f;
                paint.Color = l.Color;
                canvas.DrawLine(l.X1, l.Y1, l.X2, l.Y2, paint);
                break;
        }
    }

    /// <summary>The running header (title, note) and footer (note, page n of N) on every page.</summary>
    private static void DrawFrame(SKCanvas canvas, SKPaint paint, PdfFonts fonts, ReportDocument document, int page, int pages)
    {
        const float left = PdfLayout.Margin;
        const float right = PdfLayout.PageWidth - PdfLayout.Margin;
        var headerY = PdfLayout.Top - 28f;
        var footerY = PdfLayout.PageHeight - PdfLayout.Bottom + 26f;
        paint.Style = SKPaintStyle.Fill;
        paint.Color = PdfLayout.Accent;
        canvas.DrawText(document.Title, left, headerY, SKTextAlign.Left, fonts.Get(FontRole.Bold, 9f), paint);
        paint.Color = PdfLayout.Muted;
        canvas.DrawText(document.HeaderNote, right, headerY, SKTextAlign.Right, fonts.Get(FontRole.Regular, 7.5f), paint);
        canvas.DrawText(document.FooterNote, left, footerY, SKTextAlign.Left, fonts.Get(FontRole.Regular, 7.5f), paint);
        canvas.DrawText($"Page {page} of {pages}", right, footerY, SKTextAlign.Right, fonts.Get(FontRole.Regular, 7.5f), paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.6f;
        paint.Color = PdfLayout.Rule;
        canvas.DrawLine(left, headerY + 7f, right, headerY + 7f, paint);
        canvas.DrawLine(left, footerY - 11f, right, footerY - 11f, paint);
    }
}
