using System.Text.RegularExpressions;

namespace Portal.Core.Common;

/// <summary>URL-safe identifiers for teams (and later assets): lower-case letters, digits and inner dashes.</summary>
public static partial class Slug
{
    public const int MaxLength = 64;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);
}
