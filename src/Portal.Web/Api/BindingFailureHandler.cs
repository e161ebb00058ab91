using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Api;

/// <summary>
/// A request the framework could not bind (malformed JSON, NaN where a number belongs, an unknown enum
/// name, text where a query wants an integer) is the caller's mistake: a 400 problem naming the field,
/// and one Information line without a stack trace instead of an error report.
/// </summary>
internal sealed partial class BindingFailureHandler(IProblemDetailsService problems, ILogger<BindingFailureHandler> logger) : IExceptionHandler
{
    [GeneratedRegex("parameter \"(?:[^\"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterName();

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || !context.Request.Path.StartsWithSegments("/api"))
            return false;
        logger.LogInformation("Request refused while binding: {StatusCode} {Reason}", bad.StatusCode, bad.Message);
        context.Response.StatusCode = bad.StatusCode;
        var problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read." };
        if (FieldOf(bad) is { } field)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [field] = ["Not a valid value here: numbers must be finite, enums one of the documented names, JSON well formed."],
            };
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The JSON path of a body value (<c>[0].value</c>), or the name of a route or query parameter.</summary>
    private static string? FieldOf(BadHttpRequestException bad) =>
        bad.InnerException is JsonException { Path: { Length: > 0 } path } ? path.TrimStart('$').TrimStart('.')
        : ParameterName().Match(bad.Message) is { Success: true } match ? match.Groups["name"].Value
        : null;
}
