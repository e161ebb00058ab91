using Portal.Core.Security;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public static class SecurityEventEndpoints
{
    public static void MapSecurityEventEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/security-events", ListAsync).WithName("ListSecurityEvents").WithTags("Security")
            .WithSummary("Refused attempts (denied state changes, refused sign-ins), newest first; Auditors and PlatformAdmins only. Pass nextCursor as cursor.");

    private static async Task<IResult> ListAsync(HttpContext ctx, CallerResolver resolver, SecurityEventLog events, string? cursor, int? limit)
    {
        var caller = await resolver.ResolveAsync(ctx.User, TeamEndpoints.ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);
        var result = await events.ListAsync(caller, cursor, limit ?? 50, ctx.RequestAborted);
        return ApiRequest.Answer(result);
    }
}
