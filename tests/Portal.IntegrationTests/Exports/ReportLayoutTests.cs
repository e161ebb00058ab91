using System.Globalization;
using Portal.Core.Exports;
using Portal.Infrastructure.Pdf;
using UglyToad.PdfPig;

namespace Portal.IntegrationTests.Exports;

/// <summary>The PDF layout layer alone: tables across pages, page numbers, long cells and Unicode text that stays extractable.</summary>
public sealed class ReportLayoutTests
{
    private static (int Pages, List<string> PageTexts) Render(params ReportBlock[] blocks)
    {
        using var output = new MemoryStream();
        var rendered = new SkiaPdfRenderer(TimeProvider.System).RenderPdf(new ReportDocument("Layout test", "header note", "footer note", blocks), output);
        using var pdf = PdfDocument.Open(output.ToArray());
        Assert.Equal(rendered.Pages, pdf.NumberOfPages);
        return (rendered.Pages, pdf.GetPages().Select(p => p.Text).ToList());
    }

    [Fact]
    public void A_long_table_breaks_across_pages_and_repeats_its_header_on_each()
    {
        var rows = Enumerable.Range(1, 400).Select(i => (IReadOnlyList<string>)[$"row-{i:D4}", $"value {i}"]).ToList();

        var (pages, texts) = Render(new HeadingBlock("Big table"), new TableBlock([new("Key column", 1f), new("Value column", 2f)], rows));

        Assert.True(pages >= 5, $"{pages} pages");
        Assert.All(texts, t => Assert.Contains("Key column", t));
        var all = string.Concat(texts);
        Assert.All(rows, r => Assert.Contains(r[0], all));
        Assert.All(Enumerable.Range(1, pages), n => Assert.Contains($"Page {n} of {pages}", texts[n - 1]));
    }

    [Fact]
    public void A_cell_taller_than_a_page_continues_on_the_next_without_losing_text()
    {
        var words = string.Join(" ", Enumerable.Range(0, 3000).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture)));

        var (pages, texts) = Render(new KeyValueBlock([new("Long section", words)]));

        Assert.True(pages >= 2);
        var all = string.Concat(texts).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("w0w1w2", all);
        Assert.Contains("w2998w2999", all);
    }

    [Fact]
    public void Accented_and_symbol_text_and_unbroken_hashes_are_extractable()
    {
        var hash = new string('a', 32) + new string('f', 32);

        var (_, texts) = Render(new ParagraphBlock("Tomás Lindqvist approved 1.0.0 → Production"),
            new TableBlock([new("Seq", 0.4f, true), new("Hash", 1f, true)], [["1", hash]]));

        Assert.Contains("Tomás Lindqvist approved 1.0.0 → Production", texts[0]);
        Assert.Contains(hash, texts[0].Replace(" ", "", StringComparison.Ordinal));
    }
}
