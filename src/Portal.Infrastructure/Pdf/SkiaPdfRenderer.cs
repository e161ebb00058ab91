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
        var layout = new PdfLayout(fonts);
        var step = Math.Max(1, document.Blocks.Count / 50);
        for (var i = 0; i < document.Blocks.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            layout.Add(document.Blocks[i]);
            if (i % step == 0)
                progress?.Report(0.5 * i / document.Blocks.Count);
        }
        if (layout.Pages.Count == 0)
            layout.Add(new ParagraphBlock("(empty)", Muted: true));

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
        var pages = layout.Pages;
        for (var p = 0; p < pages.Count; p++)
        {
            ct.ThrowIfCancellationRequested();
            var canvas = pdf.BeginPage(PdfLayout.PageWidth, PdfLayout.PageHeight);
            DrawFrame(canvas, paint, fonts, document, p + 1, pages.Count);
            foreach (var op in pages[p])
                Draw(canvas, paint, fonts, op);
            pdf.EndPage();
            progress?.Report(0.5 + 0.5 * (p + 1) / pages.Count);
        }
        pdf.Close();
        return new RenderedReport(pages.Count);
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
