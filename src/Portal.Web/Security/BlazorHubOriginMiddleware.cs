namespace Portal.Web.Security;

/// <summary>
/// Refuses cross-origin connections to the Blazor hub (/_blazor, its negotiate and WebSocket requests)
/// with 403: another site must not open a circuit in a signed-in person's name. A request without an
/// Origin header comes from no browser page and is left to authentication.
/// </summary>
public sealed class BlazorHubOriginMiddleware(RequestDelegate next, string publicUrl)
{
    public const string HubPath = "/_blazor";
    private readonly string _publicOrigin = new Uri(publicUrl).GetLeftPart(UriPartial.Authority);

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(HubPath) || context.Request.Headers.Origin.Count == 0)
            return next(context);
        var origin = context.Request.Headers.Origin.ToString();
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        if (string.Equals(origin, _publicOrigin, StringComparison.OrdinalIgnoreCase) || string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
