using System.Diagnostics;
using System.Text.RegularExpressions;
using Serilog.Context;

namespace Portal.Web.Hosting;

/// <summary>
/// Gives every request one correlation id: the caller's <c>X-Correlation-Id</c> when it is sane, else
/// the trace id. It is echoed back, logged, and stored on audit events.
/// </summary>
public sealed partial class CorrelationIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Correlation-Id";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Acceptable();

    public async Task InvokeAsync(HttpContext context)
    {
        var presented = context.Request.Headers[Header].ToString();
        var id = Acceptable().IsMatch(presented) ? presented : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.TraceIdentifier = id;
        // Set as the response starts: the exception handler clears headers before it writes a 500, and that
        // is the answer whose id people most need to quote.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        using (LogContext.PushProperty("CorrelationId", id))
            await next(context);
    }
}
