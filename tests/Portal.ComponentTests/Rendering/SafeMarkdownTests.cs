using Portal.Web.Rendering;

namespace Portal.ComponentTests.Rendering;

public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    public void Script_never_survives(string markdown)
    {
        // Parsed as a browser would: escaped text is harmless, live elements and attributes are not.
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(SafeMarkdown.ToHtml(markdown));

        Assert.Empty(document.QuerySelectorAll("script, img, iframe, object, embed"));
        Assert.DoesNotContain(document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(document.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.Contains("javascript", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Ordinary_markdown_is_rendered()
    {
        var html = SafeMarkdown.ToHtml("**Accuracy** by slice:\n\n| slice | acc |\n|---|---|\n| sex=female | 0.91 |\n\nSee [the report](https://example.com/r).");

        Assert.Contains("<strong>Accuracy</strong>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("href=\"https://example.com/r\"", html);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", html);
    }
}
