using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>What every registry endpoint reads from a request the same way: the caller, If-Match and Idempotency-Key.</summary>
internal static class ApiRequest
{
    public static Task<CallerAccess> CallerAsync(HttpContext ctx, CallerResolver resolver) =>
        resolver.ResolveAsync(ctx.User, TeamEndpoints.ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);

    /// <summary>The one mapping of a service result to an HTTP answer: the value as 200, the error as its problem.</summary>
    public static IResult Answer<T>(Result<T> result) => Answer(result, Results.Ok);

    public static IResult Answer<T>(Result<T> result, Func<T, IResult> success) =>
        result.IsSuccess ? success(result.Value) : result.Error!.ToResult();

    public static IResult WithETag(HttpContext ctx, int revision, object body)
    {
        ctx.Response.Headers.ETag = $"\"{revision}\"";
        return Results.Ok(body);
    }

    public static int? IfMatch(HttpContext ctx) =>
        ctx.Request.Headers.IfMatch.ToString().Trim('"', ' ', 'W', '/') is { Length: > 0 } text && int.TryParse(text, out var rev) ? rev : null;

    public static string? IdempotencyKey(HttpContext ctx) =>
        ctx.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 and <= 100 } key ? key : null;
}
