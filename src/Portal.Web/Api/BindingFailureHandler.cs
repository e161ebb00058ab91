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
        if (!context.Request.Path.StartsWithSegments("/api"))
            return false;
        // The framework reads a JSON body in the charset its Content-Type names, and throws InvalidOperationException, not a binding
        // failure, for one it does not know: the caller's mistake all the same.
        if (exception is InvalidOperationException && UnknownCharset(context.Request.ContentType) is { } charset)
        {
            logger.LogInformation("Request refused while binding: unknown charset {Charset}", charset);
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Title = $"The body's charset '{charset}' is not one the portal reads; send JSON as UTF-8.",
                },
                Exception = exception,
            });
        }
        if (exception is not BadHttpRequestException bad)
            return false;
        logger.LogInformation("Request refused while binding: {StatusCode} {Reason}", bad.StatusCode, bad.Message);
        context.Response.StatusCode = bad.StatusCode;
        var problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read." };
        if (bad.InnerException is NullItemException nullItem)
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [nullItem.Field] = [nullItem.Message] };
        else if (FieldOf(bad) is { } field)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [field] = ["Not a valid value here: numbers must be finite, enums one of the documented names, JSON well formed."],
            };
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static string? UnknownCharset(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type) || type.Charset is not { Length: > 0 } charset)
            return null;
        try
        {
            _ = System.Text.Encoding.GetEncoding(charset.ToString().Trim('"'));
            return null;
        }
        catch (ArgumentException)
        {
            return charset.ToString();
        }
    }

    /// <summary>The JSON path of a body value (<c>[0].value</c>), or the name of a route or query parameter.</summary>
    private static string? FieldOf(BadHttpRequestException bad) =>
        bad.InnerException is JsonException { Path: { Length: > 0 } path } ? path.TrimStart('$').TrimStart('.')
        : ParameterName().Match(bad.Message) is { Success: true } match ? match.Groups["name"].Value
        : null;
}
