using System.Globalization;
using System.Text;

namespace Portal.Web.Auth;

/// <summary>The one check for where a browser may be sent after sign-in: a path on this portal, or the home page.</summary>
public static class ReturnUrl
{
    private const int MaxLength = 2048;

    /// <summary>
    /// A local path, with non-ASCII characters percent-encoded so it is a valid Location header; "/" for
    /// anything else. Browsers drop tabs and newlines and read '\' as '/', so "/\t/evil" or "/\evil"
    /// would leave the site: any control, space, format character or backslash is refused outright.
    /// </summary>
    public static string LocalOrHome(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/')
            return "/";
        if (url.Length > 1 && url[1] is '/' or '\\')
            return "/";
        var local = new StringBuilder(url.Length);
        foreach (var rune in url.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) || rune.Value == '\\' || rune == Rune.ReplacementChar
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return "/";
            if (rune.IsAscii)
                local.Append((char)rune.Value);
            else
                local.Append(Uri.EscapeDataString(rune.ToString()));
        }
        return local.ToString();
    }
}
