namespace Portal.Web.Api;

/// <summary>
/// The links the API puts in <c>Location</c>. Every segment is percent-encoded (RFC 3986): a header
/// must be ASCII, and a name like 日本語.csv written raw would fail the response after the change was
/// already committed.
/// </summary>
public static class ApiLinks
{
    public static string Asset(string team, string asset) => $"/api/v1/teams/{Segment(team)}/assets/{Segment(asset)}";

    public static string Version(string team, string asset, string version) => $"{Asset(team, asset)}/versions/{Segment(version)}";

    public static string Artifact(string team, string asset, string version, string path) =>
        $"{Version(team, asset, version)}/artifacts/{string.Join('/', path.Split('/').Select(Segment))}";

    public static string Members(string team) => $"/api/v1/teams/{Segment(team)}/members";

    private static string Segment(string value) => Uri.EscapeDataString(value);
}
