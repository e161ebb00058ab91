using Portal.Core.Security;
using Portal.Web.Auth;

namespace Portal.Web.Security;

/// <summary>
/// The one place the API records refused state changes: any request other than GET/HEAD/OPTIONS that is
/// answered 403, whichever layer refused it (authorization policy, token handler or service result).
/// The reason is the problem code that <see cref="RememberReason"/> noted when the problem was written.
/// </summary>
public sealed class DeniedRequestRecorder(RequestDelegate next)
{
    private const string ReasonKey = "portal.denied.reason";

    public async Task InvokeAsync(HttpContext context, SecurityEventLog events)
    {
        await next(context);
        var request = context.Request;
        if (context.Response.StatusCode != StatusCodes.Status403Forbidden
            || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return;
        var actor = context.User.ToActor(context.Connection.RemoteIpAddress?.ToString(), context.TraceIdentifier);
        var reason = context.Items[ReasonKey] as string ?? "forbidden";
        // The response is complete: a client that hung up must not stop the record.
        await events.RecordDeniedAsync(actor, $"{request.Method} api", request.Path, reason, CancellationToken.None);
    }

    /// <summary>Called where problem details are written, so the event says why the request was refused.</summary>
    public static void RememberReason(HttpContext context, string? code, string? title) =>
        context.Items[ReasonKey] = string.IsNullOrEmpty(title) ? code : $"{code}: {title}";
}
