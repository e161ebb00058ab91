using Portal.Core.Versions;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

/// <summary>Metrics of a version: append a batch, list them.</summary>
internal static class MetricEndpoints
{
    public static void MapMetricEndpoints(this RouteGroupBuilder registry)
    {
        registry.MapPost(RegistryEndpoints.VersionPath + "/metrics", LogMetricsAsync).WithName("LogMetrics").WithSummary("Append up to 1000 metrics in one request.");
        registry.MapGet(RegistryEndpoints.VersionPath + "/metrics", ListMetricsAsync).WithName("ListMetrics");
    }

    private static async Task<IResult> LogMetricsAsync(string team, string asset, string version, IReadOnlyList<MetricInput> metrics, HttpContext ctx, CallerResolver resolver, MetricService service)
    {
        var result = await service.LogAsync(await CallerAsync(ctx, resolver), team, asset, version, metrics, ctx.RequestAborted);
        return Answer(result, v => Results.Ok(new { recorded = v }));
    }

    private static async Task<IResult> ListMetricsAsync(string team, string asset, string version, HttpContext ctx, CallerResolver resolver, MetricService service) =>
        Answer(await service.ListAsync(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted));
}
