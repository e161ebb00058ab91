using Portal.Core.Exports;
using SkiaSharp;

namespace Portal.Infrastructure.Pdf;

/// <summary>Something to draw on a page, at a position the layout already decided.</summary>
internal abstract record PageOp;
internal sealed record TextOp(float X, float Baseline, string Text, FontRole Font, float Size, SKColor Color) : PageOp;
internal sealed record RectOp(SKRect Rect, SKColor Fill) : PageOp;
internal sealed record LineOp(float X1, float Y1, float X2, float Y2, SKColor Color) : PageOp;

/// <summary>
/// Places blocks on A4 pages top to bottom. Layout runs before any drawing, so the page count is known
/// when the footers ("Page 3 of 41") are drawn; a table row never splits unless it is taller than a page,
/// and a table that continues on a new page repeats its header row there.
/// </summary>
internal sealed class PdfLayout(PdfFonts fonts)
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

    private readonly List<List<PageOp>> _pages = [];
    private List<PageOp> _page = null!;
    private float _y;

    private float Remaining => PageHeight - Bottom - _y;
    private bool AtPageTop => _y <= Top + 0.1f;

    public IReadOnlyList<IReadOnlyList<PageOp>> Pages => _pages;

    public void Add(ReportBlock block)
    {
        if (_pages.Count == 0)
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

    private void NewPage()
    {
        _page = [];
        _pages.Add(_page);
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
        foreach (var line in Wrap(Clean(h.Text), FontRole.Bold, size, ContentWidth))
        {
            _y += size * 1.25f;
            _page.Add(new TextOp(Margin, _y - size * 0.22f, line, FontRole.Bold, size, Accent));
        }
        if (h.Level <= 1)
            _page.Add(new LineOp(Margin, _y + 2f, Margin + ContentWidth, _y + 2f, Accent));
        _y += h.Level <= 1 ? 7f : 3f;
    }

    private void Paragraph(ParagraphBlock p)
    {
        var lineHeight = BodySize * LineFactor;
        foreach (var line in Wrap(Clean(p.Text), FontRole.Regular, BodySize, ContentWidth))
        {
            if (Remaining < lineHeight)
                NewPage();
            _y += lineHeight;
            _page.Add(new TextOp(Margin, _y - BodySize * 0.3f, line, FontRole.Regular, BodySize, p.Muted ? Muted : Ink));
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
        foreach (var row in t.Rows)
        {
            var cells = t.Columns.Select((c, i) => new Cell(i < row.Count ? row[i] : "", c.Monospace ? FontRole.Mono : FontRole.Regular, Ink)).ToArray();
            Row(cells, widths, size, repeatHeader: PlaceHeader);
        }
        _y += 8f;
    }

    private sealed record Cell(string Text, FontRole Font, SKColor Color);

    /// <summary>One row of cells; moves to a new page (repeating the header) when it does not fit, and splits only a row taller than a page.</summary>
    private void Row(Cell[] cells, float[] widths, float size, Action? repeatHeader, SKColor? fill = null, bool keyFill = false)
    {
        var lineHeight = size * LineFactor;
        var lines = cells.Select((c, i) => Wrap(Clean(c.Text), c.Font, size, widths[i] - 2 * Padding)).ToArray();
        var count = Math.Max(1, lines.Max(l => l.Count));
        // Usable height of a fresh page below a repeated header of up to two lines.
        var fullPage = PageHeight - Bottom - Top - 2 * lineHeight - 4 * Padding;
        var done = 0;
        var moved = false;
        while (done < count)
        {
            var height = (count - done) * lineHeight + 2 * Padding;
            if (height <= Remaining)
            {
                PlaceLines(cells, lines, widths, size, done, count - done, fill, keyFill);
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
                PlaceLines(cells, lines, widths, size, done, fits, fill, keyFill);
                done += fits;
            }
            NewPage();
            repeatHeader?.Invoke();
            moved = true;
        }
    }

    private void PlaceLines(Cell[] cells, List<string>[] lines, float[] widths, float size, int from, int take, SKColor? fill, bool keyFill)
    {
        var lineHeight = size * LineFactor;
        var height = take * lineHeight + 2 * Padding;
        if (fill is { } f)
            _page.Add(new RectOp(SKRect.Create(Margin, _y, ContentWidth, height), f));
        if (keyFill)
            _page.Add(new RectOp(SKRect.Create(Margin, _y, widths[0], height), KeyFill));
        var x = Margin;
        for (var c = 0; c < cells.Length; c++)
        {
            for (var l = from; l < Math.Min(from + take, lines[c].Count); l++)
            {
                var baseline = _y + Padding + (l - from + 1) * lineHeight - size * 0.3f;
                _page.Add(new TextOp(x + Padding, baseline, lines[c][l], cells[c].Font, size, cells[c].Color));
            }
            x += widths[c];
        }
        _y += height;
        _page.Add(new LineOp(Margin, _y, Margin + ContentWidth, _y, Rule));
    }

    /// <summary>Breaks text into lines no wider than <paramref name="width"/>: at spaces, and inside words (hashes) that are wider on their own.</summary>
    internal List<string> Wrap(string text, FontRole role, float size, float width)
    {
        var font = fonts.Get(role, size);
        var result = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            if (font.MeasureText(paragraph) <= width)
            {
                result.Add(paragraph);
                continue;
            }
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (font.MeasureText(candidate) <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                    result.Add(line);
                line = word;
                while (line.Length > 1 && font.MeasureText(line) > width)
                {
                    var fit = Math.Max(1, (int)font.BreakText(line, width));
                    // Names like transition.requested or production-minimum break after their punctuation when they can.
                    var soft = line.LastIndexOfAny(['.', '-', '/', '_', ':'], fit - 1);
                    if (soft >= fit / 2)
                        fit = soft + 1;
                    result.Add(line[..fit]);
                    line = line[fit..];
                }
            }
            result.Add(line);
        }
        return result;
    }

    /// <summary>Control characters have no glyph; tabs and carriage returns become plain spacing.</summary>
    private static string Clean(string text)
    {
        if (!text.Any(char.IsControl))
            return text;
        var chars = text.Replace("\r\n", "\n").Replace('\t', ' ').Where(c => c == '\n' || !char.IsControl(c));
        return new string(chars.ToArray());
    }
}
