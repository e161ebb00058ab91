namespace Portal.Web.Api;

/// <summary>
/// The registry for pipelines, one file per feature. Team-level authorization happens in the services,
/// because an asset shared with another team is readable by it through the owning team's URL.
/// </summary>
public static class RegistryEndpoints
{
    internal const string AssetPath = "/teams/{team}/assets/{asset}";
    internal const string VersionPath = AssetPath + "/versions/{version}";

    public static void MapRegistryEndpoints(this RouteGroupBuilder api, RouteGroupBuilder uploads)
    {
        var registry = api.MapGroup("").WithTags("Registry");
        registry.MapAssetEndpoints();
        registry.MapVersionEndpoints();
        registry.MapMetricEndpoints();
        registry.MapModelCardEndpoints();
        registry.MapPromptEndpoints();
        registry.MapLineageEndpoints();
        registry.MapArtifactEndpoints(uploads);
    }
}
