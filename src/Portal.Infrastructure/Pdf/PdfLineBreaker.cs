namespace Portal.Infrastructure.Pdf;

/// <summary>Where lines break: text measured with the PDF's own fonts, so the layout and the drawing agree.</summary>
internal sealed class PdfLineBreaker(PdfFonts fonts)
{
    /// <summary>
    /// Breaks text into lines no wider than <paramref name="width"/>: at spaces, and inside words (hashes) that are wider on their own.
    /// Lines are ranges of the text, measured as slices: a line becomes a string only when it is drawn (a dossier wraps tens of
    /// thousands of cells, twice). The ranges are appended to <paramref name="result"/>, which is returned.
    /// </summary>
    public List<Range> Wrap(string text, FontRole role, float size, float width, List<Range> result)
    {
        var font = fonts.Get(role, size);
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var paragraph = text.AsSpan(range);
            var offset = range.Start.GetOffset(text.Length);
            if (font.MeasureText(paragraph) <= width)
            {
                result.Add(range);
                continue;
            }
            // The line is paragraph[start..end]; a candidate runs from its start (or the word's, on an empty line) to the word's end.
            int start = 0, end = 0, word = 0;
            while (word <= paragraph.Length)
            {
                var space = paragraph[word..].IndexOf(' ');
                var wordEnd = space < 0 ? paragraph.Length : word + space;
                var from = end > start ? start : word;
                if (font.MeasureText(paragraph[from..wordEnd]) <= width)
                {
                    (start, end) = (from, wordEnd);
                }
                else
                {
                    if (end > start)
                        result.Add((offset + start)..(offset + end));
                    (start, end) = (word, wordEnd);
                    while (end - start > 1 && font.MeasureText(paragraph[start..end]) > width)
                    {
                        var fit = Math.Max(1, font.BreakText(paragraph[start..end], width));
                        // Names like transition.requested or production-minimum break after their punctuation when they can.
                        var soft = paragraph.Slice(start, fit).LastIndexOfAny(".-/_:");
                        if (soft >= fit / 2)
                            fit = soft + 1;
                        result.Add((offset + start)..(offset + start + fit));
                        start += fit;
                    }
                }
                word = wordEnd + 1;
            }
            result.Add((offset + start)..(offset + end));
        }
        return result;
    }

    /// <summary>Control characters have no glyph; tabs and carriage returns become plain spacing.</summary>
    public static string Clean(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !text.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
            return text;
        var chars = text.Replace("\r\n", "\n").Replace('\t', ' ').Where(c => c == '\n' || !char.IsControl(c));
        return new string(chars.ToArray());
    }
}
