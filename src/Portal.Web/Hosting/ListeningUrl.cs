using System.Text.RegularExpressions;

namespace Portal.Web.Hosting;

/// <summary>
/// The public URL of a portal run in Development without one set: the address it listens on (<c>--urls</c>,
/// <c>ASPNETCORE_URLS</c> or <c>Urls</c>), so the embedded identity provider's issuer and redirect URIs follow
/// the port a developer picked instead of pointing at 5080.
/// </summary>
public static partial class ListeningUrl
{
    /// <summary>The first http(s) address with a fixed port in a <c>urls</c> value, a wildcard host read as localhost; null when none.</summary>
    public static string? FirstOf(string? urls)
    {
        foreach (var entry in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var local = WildcardHost().Replace(entry, "$1://localhost");
            // Port 0 asks for any free port, which is known only once Kestrel has bound it: no URL to build before start.
            if (Uri.TryCreate(local, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Port != 0)
                return uri.GetLeftPart(UriPartial.Authority);
        }
        return null;
    }

    // Kestrel's "any address" spellings: a browser cannot reach them, but it reaches the same listener through localhost.
    [GeneratedRegex(@"^(https?)://(\*|\+|0\.0\.0\.0|\[::\])(?=[:/]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex WildcardHost();
}
