using System.Text;

namespace Portal.Core.Common;

/// <summary>
/// The one rule for every name a person or pipeline chooses (teams, assets, owners, tags, artifact
/// paths, token names, metric names, slices, parameter and column keys): no character that can start
/// a line in a log, hide or reorder text on screen (Trojan Source), or that a database cannot store.
/// Everything else, é or 日本語 included, is a fine name.
/// </summary>
public static class Names
{
    public const string UnsafeMessage =
        "Control characters, line separators, bidirectional-formatting characters and broken surrogate pairs are not allowed.";

    /// <summary>C0/C1 controls (CR, LF, NUL...), Unicode line and paragraph separators, and the bidirectional marks, embeddings, overrides and isolates.</summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c)
        || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or '\u061C'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    /// <summary>True when the name holds an unsafe character or a lone surrogate (not valid UTF-16, refused by PostgreSQL).</summary>
    public static bool HasUnsafeCharacters(string? value) => Scan(value, IsUnsafe);

    /// <summary>The field message for an unsafe name, or null when the name may be stored, shown and logged.</summary>
    public static string? Problem(string? value) => HasUnsafeCharacters(value) ? UnsafeMessage : null;

    /// <summary>The same check with a length bound, for names and filters that arrive in a query string.</summary>
    public static string? Problem(string? value, int maxLength) =>
        value is { Length: var length } && length > maxLength ? $"At most {maxLength} characters." : Problem(value);

    /// <summary>
    /// Multi-line text (descriptions, parameter values, model card sections) may hold tabs, line breaks
    /// and right-to-left marks, but no other control character: NUL and its kin break PostgreSQL and terminals.
    /// </summary>
    public static string? TextProblem(string? value) =>
        Scan(value, c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')) ? "Only printable text, tabs and line breaks are allowed." : null;

    private static bool Scan(string? value, Func<char, bool> isUnsafe)
    {
        if (value is null)
            return false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (isUnsafe(c))
                return true;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return true;
        }
        return false;
    }

    /// <summary>One spelling per name: é typed on a Mac (e + combining accent) and on Windows is the same asset.</summary>
    public static string Canonical(string value) => HasUnsafeCharacters(value) ? value : value.Normalize(NormalizationForm.FormC);

    /// <summary>
    /// Cuts text written into a column of <paramref name="max"/> characters, with an ellipsis, never between the halves of a surrogate
    /// pair: a lone half is not text, and PostgreSQL's encoder refuses it.
    /// </summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return text[..cut] + "…";
    }
}
