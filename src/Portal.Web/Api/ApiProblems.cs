using Microsoft.AspNetCore.Mvc;
using Portal.Core.Common;

namespace Portal.Web.Api;

/// <summary>The one mapping from an expected failure to RFC 7807 problem details.</summary>
public static class ApiProblems
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails ToProblem(Error error)
    {
        var problem = new ProblemDetails
        {
            Status = StatusOf(error.Kind),
            Title = error.Message,
            Type = $"https://portal.dev/problems/{error.Code}",
        };
        problem.Extensions["code"] = error.Code;
        if (error.Fields is { Count: > 0 } fields)
            problem.Extensions["errors"] = fields;
        return problem;
    }

    public static IResult ToResult(this Error error) => Results.Problem(ToProblem(error));

    public static Task Write(HttpContext context, Error error)
    {
        var problem = ToProblem(error);
        context.Response.StatusCode = problem.Status!.Value;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }

    /// <summary>A stable code for problems the framework raises itself (binding failures, 404 routes, limits).</summary>
    public static string CodeForStatus(int? status) => status switch
    {
        400 => "request.invalid",
        401 => "auth.required",
        403 => "auth.forbidden",
        404 => "route.not-found",
        405 => "request.method-not-allowed",
        413 => "request.too-large",
        415 => "request.unsupported-media-type",
        429 => "request.rate-limited",
        _ => "server.error",
    };
}
