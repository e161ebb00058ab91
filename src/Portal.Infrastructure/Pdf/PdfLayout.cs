using Portal.Core.Exports;
using SkiaSharp;

namespace Portal.Infrastructure.Pdf;

/// <summary>Something to draw on a page, at a position the layout already decided.</summary>
internal abstract record PageOp;
internal sealed record TextOp(float X, float Baseline, string Text, FontRole Font, float Size, SKColor Color) : PageOp;
internal sealed record RectOp(SKRect Rect, SKColor Fill) : PageOp;
internal sealed record LineOp(float X1, float Y1, float X2, float Y2, SKColor Color) : PageOp;

/// <summary>
/// Places blocks on A4 pages top to bottom and hands each page to <paramref name="pageDone"/> as soon as it is
/// full, then forgets it: a long document is never held whole. The renderer lays out twice, first only to count
/// the pages (so footers can say "Page 3 of 41"), without making any drawing operations (<paramref name="pageDone"/>
/// null), then to draw each page as it is handed over; the layout is deterministic, so both passes break pages
/// alike. A table row never splits unless it is taller than a page, and a table that continues on a new page
/// repeats its header row there.
/// </summary>
internal sealed class PdfLayout(PdfFonts fonts, Action<IReadOnlyList<PageOp>, int>? pageDone)
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    public const float Margin = 48f;
    public const float Top = 72f;
    public const float Bottom = 64f;
    public const float ContentWidth = PageWidth - 2 * Margin;

    public static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    public static readonly SKColor Muted = new(0x61, 0x61, 0x61);
    public static readonly SKColor Accent = new(0x1e, 0x3a, 0x5f);
    public static readonly SKColor Rule = new(0xd0, 0xd4, 0xda);
    private static readonly SKColor HeaderFill = new(0xe8, 0xed, 0xf3);
    private static readonly SKColor KeyFill = new(0xf5, 0xf6, 0xf8);

    private const float BodySize = 8.5f;
    /// <summary>Tables are set a little smaller than text: audit tables are dense and read by scanning.</summary>
    private const float TableSize = 7.5f;
    private const float SmallSize = 5.5f;
    private const float Padding = 3f;
    private const float LineFactor = 1.3f;

    private readonly PdfLineBreaker _lines = new(fonts);
    // One page's operations, reused: handed to pageDone when the page is full, then cleared.
    private readonly List<PageOp> _page = [];
    private float _y;

    private float Remaining => PageHeight - Bottom - _y;
    private bool AtPageTop => _y <= Top + 0.1f;

    /// <summary>Pages begun so far; after <see cref="Finish"/>, the document's page count.</summary>
    public int PageCount { get; private set; }

    public void Add(ReportBlock block)
    {
        if (PageCount == 0)
            NewPage();
        switch (block)
        {
            case HeadingBlock h: Heading(h); break;
            case ParagraphBlock p: Paragraph(p); break;
            case KeyValueBlock kv: KeyValues(kv); break;
            case TableBlock t: Table(t); break;
            case PageBreakBlock: if (!AtPageTop) NewPage(); break;
            default: throw new NotSupportedException(block.GetType().Name);
        }
    }

    /// <summary>Hands over the last page; an empty document still gets one page saying so.</summary>
    public void Finish()
    {
        if (PageCount == 0)
            Add(new ParagraphBlock("(empty)", Muted: true));
        pageDone?.Invoke(_page, PageCount);
        _page.Clear();
    }

    private void NewPage()
    {
        if (PageCount > 0)
        {
            pageDone?.Invoke(_page, PageCount);
            _page.Clear();
        }
        PageCount++;
        _y = Top;
    }

    private void Heading(HeadingBlock h)
    {
        var size = h.Level <= 1 ? 14f : 10.5f;
        var before = AtPageTop ? 0 : h.Level <= 1 ? 14f : 8f;
        // Keep a heading with at least a few lines of what it introduces.
        if (Remaining < before + size * 1.6f + 4 * BodySize * LineFactor)
            NewPage();
        else
            _y += before;
        var text = PdfLineBreaker.Clean(h.Text);
        foreach (var line in _lines.Wrap(text, FontRole.Bold, size, ContentWidth, []))
        {
            _y += size * 1.25f;
            Text(Margin, _y - size * 0.22f, text, line, FontRole.Bold, size, Accent);
        }
        if (h.Level <= 1 && pageDone is not null)
            _page.Add(new LineOp(Margin, _y + 2f, Margin + ContentWidth, _y + 2f, Accent));
        _y += h.Level <= 1 ? 7f : 3f;
    }

    private void Paragraph(ParagraphBlock p)
    {
        var lineHeight = BodySize * LineFactor;
        var text = PdfLineBreaker.Clean(p.Text);
        foreach (var line in _lines.Wrap(text, FontRole.Regular, BodySize, ContentWidth, []))
        {
            if (Remaining < lineHeight)
                NewPage();
            _y += lineHeight;
            Text(Margin, _y - BodySize * 0.3f, text, line, FontRole.Regular, BodySize, p.Muted ? Muted : Ink);
        }
        _y += 4f;
    }

    private void KeyValues(KeyValueBlock kv)
    {
        float[] widths = [ContentWidth * 0.28f, ContentWidth * 0.72f];
        foreach (var (key, value) in kv.Pairs)
            Row([new Cell(key, FontRole.Bold, Muted), new Cell(value, FontRole.Regular, Ink)], widths, BodySize, keyFill: true, repeatHeader: null);
        _y += 6f;
    }

    private void Table(TableBlock t)
    {
        var total = t.Columns.Sum(c => c.Weight);
        var widths = t.Columns.Select(c => ContentWidth * c.Weight / total).ToArray();
        var header = t.Columns.Select(c => new Cell(c.Title, FontRole.Bold, Accent)).ToArray();
        var size = t.Small ? SmallSize : TableSize;
        void PlaceHeader() => Row(header, widths, TableSize, fill: HeaderFill, repeatHeader: null);

        // A header alone at the foot of a page is useless: start the table where it and a row fit.
        if (Remaining < 3 * (TableSize * LineFactor + 2 * Padding))
            NewPage();
        PlaceHeader();
        var columnFonts = t.Columns.Select(c => c.Monospace ? FontRole.Mono : FontRole.Regular).ToArray();
        // One array for every row: a row is placed before the next is read (a dossier has tens of thousands).
        var cells = new Cell[t.Columns.Count];
        foreach (var row in t.Rows)
        {
            for (var i = 0; i < cells.Length; i++)
                cells[i] = new Cell(i < row.Count ? row[i] : "", columnFonts[i], Ink);
            Row(cells, widths, size, repeatHeader: PlaceHeader);
        }
        _y += 8f;
    }

    private readonly record struct Cell(string Text, FontRole Font, SKColor Color);

    /// <summary>One row of cells; moves to a new page (repeating the header) when it does not fit, and splits only a row taller than a page.</summary>
    private void Row(Cell[] cells, float[] widths, float size, Action? repeatHeader, SKColor? fill = null, bool keyFill = false)
    {
        var lineHeight = size * LineFactor;
        // The lines of every cell in one list, cell c's from first[c] to first[c + 1].
        var texts = new string[cells.Length];
        var lines = new List<Range>(cells.Length);
        var first = new int[cells.Length + 1];
        var count = 1;
        for (var i = 0; i < cells.Length; i++)
        {
            texts[i] = PdfLineBreaker.Clean(cells[i].Text);
            first[i] = lines.Count;
            _lines.Wrap(texts[i], cells[i].Font, size, widths[i] - 2 * Padding, lines);
            first[i + 1] = lines.Count;
            count = Math.Max(count, first[i + 1] - first[i]);
        }
        // Usable height of a fresh page below a repeated header of up to two lines.
        var fullPage = PageHeight - Bottom - Top - 2 * lineHeight - 4 * Padding;
        var done = 0;
        var moved = false;
        while (done < count)
        {
            var height = (count - done) * lineHeight + 2 * Padding;
            if (height <= Remaining)
            {
                PlaceLines(cells, texts, lines, first, widths, size, done, count - done, fill, keyFill);
                return;
            }
            if (!moved && !AtPageTop && height <= fullPage)
            {
                NewPage();
                repeatHeader?.Invoke();
                moved = true;
                continue;
            }
            // Taller than a page: fill this one and go on with the rest on the next.
            var fits = (int)Math.Floor((Remaining - 2 * Padding) / lineHeight);
            if (fits >= 1)
            {
                PlaceLines(cells, texts, lines, first, widths, size, done, fits, fill, keyFill);
                done += fits;
            }
            NewPage();
            repeatHeader?.Invoke();
            moved = true;
        }
    }

    private void PlaceLines(Cell[] cells, string[] texts, List<Range> lines, int[] first, float[] widths, float size, int from, int take, SKColor? fill, bool keyFill)
    {
        var lineHeight = size * LineFactor;
        var height = take * lineHeight + 2 * Padding;
        if (pageDone is null)
        {
            _y += height;
            return;
        }
        if (fill is { } f)
            _page.Add(new RectOp(SKRect.Create(Margin, _y, ContentWidth, height), f));
        if (keyFill)
            _page.Add(new RectOp(SKRect.Create(Margin, _y, widths[0], height), KeyFill));
        var x = Margin;
        for (var c = 0; c < cells.Length; c++)
        {
            for (var l = from; l < Math.Min(from + take, first[c + 1] - first[c]); l++)
            {
                var baseline = _y + Padding + (l - from + 1) * lineHeight - size * 0.3f;
                _page.Add(new TextOp(x + Padding, baseline, texts[c][lines[first[c] + l]], cells[c].Font, size, cells[c].Color));
            }
            x += widths[c];
        }
        _y += height;
        _page.Add(new LineOp(Margin, _y, Margin + ContentWidth, _y, Rule));
    }

    /// <summary>One line of text at a position; only the drawing pass makes the operation (and the line's string).</summary>
    private void Text(float x, float baseline, string text, Range line, FontRole font, float size, SKColor color)
    {
        if (pageDone is not null)
            _page.Add(new TextOp(x, baseline, text[line], font, size, color));
    }
}
