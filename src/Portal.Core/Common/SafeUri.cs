namespace Portal.Core.Common;

/// <summary>Source and URL fields take remote locations only: never file: URLs or local paths.</summary>
public static class SafeUri
{
    public static readonly string[] RepositorySchemes = ["https", "ssh", "git"];
    public static readonly string[] WebSchemes = ["https"];
    public static readonly string[] DataSchemes = ["https", "s3", "gs", "az", "abfss", "hdfs", "dvc"];

    public static string? Problem(string? value, IReadOnlyCollection<string> schemes, int maxLength = 1000)
    {
        if (value is null)
            return null;
        if (value.Length > maxLength || Names.HasUnsafeCharacters(value))
            return $"At most {maxLength} characters, without control or bidirectional-formatting characters.";
        // git@host:org/repo is the common SSH shorthand.
        if (schemes.Contains("ssh") && System.Text.RegularExpressions.Regex.IsMatch(value, @"^[\w.-]+@[\w.-]+:[\w./-]+$"))
            return null;
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase) && !string.IsNullOrEmpty(uri.Host)
            ? null
            : $"Use a URL with one of these schemes: {string.Join(", ", schemes)}.";
    }
}
