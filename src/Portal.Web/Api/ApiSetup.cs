using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Portal.Web.Hosting;
using Portal.Web.Security;
using Scalar.AspNetCore;

namespace Portal.Web.Api;

public static class ApiSetup
{
    public static void AddPortalApi(this IServiceCollection services, PortalSettings settings)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Every problem carries a stable code and the correlation id people quote to support.
            ctx.ProblemDetails.Extensions.TryAdd("code", ApiProblems.CodeForStatus(ctx.ProblemDetails.Status));
            ctx.ProblemDetails.Extensions["correlationId"] = ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Extensions.Remove("traceId");
            // Binding failures explain themselves in framework words that are safe to show; nothing else leaks.
            ctx.ProblemDetails.Detail = ctx.Exception is BadHttpRequestException bad ? bad.Message : ctx.ProblemDetails.Status >= 500 ? null : ctx.ProblemDetails.Detail;
            ctx.ProblemDetails.Extensions.Remove("exception");
            if (ctx.ProblemDetails.Status == StatusCodes.Status403Forbidden)
                DeniedRequestRecorder.RememberReason(ctx.HttpContext, ctx.ProblemDetails.Extensions["code"] as string, ctx.ProblemDetails.Title);
        });
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info = new OpenApiInfo
                {
                    Title = "AI Asset Portal API",
                    Version = "v1",
                    Description = "Register, govern and audit models, datasets and prompt templates. " +
                        "Authenticate with a team API token: 'Authorization: Bearer ptk_...'. Errors are RFC 7807 problem details with a stable 'code'.",
                };
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A team API token created on the team's Members page.",
                };
                doc.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", doc)] = [] }];
                return Task.CompletedTask;
            });
        });
        services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (settings.Security.CorsOrigins.Length > 0)
                p.WithOrigins(settings.Security.CorsOrigins).AllowAnyHeader().AllowAnyMethod();
        }));
        services.Configure<FormOptions>(o => o.ValueLengthLimit = 64 * 1024);
        services.AddExceptionHandler<BindingFailureHandler>();
        // Binding failures become BadHttpRequestException in every environment, so they are answered the same way.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.WithAddedModifier(
                o.SerializerOptions.TypeInfoResolver ?? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(), NullItemsGuard.Modify);
        });
    }

    public static void MapPortalApi(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<PortalSettings>();
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization()
            .RequirePermissions()
            .RequireRateLimiting(RateLimitSetup.ApiPolicy)
            .DisableAntiforgery()
            .AddEndpointFilter(new JsonBodyLimitFilter(settings.Security.MaxJsonBodyBytes))
            .WithMetadata(new RequestSizeLimitMetadata(settings.Security.MaxJsonBodyBytes));
        // Artifact uploads stream multi-gigabyte bodies: no JSON limit, no request size limit.
        var uploads = app.MapGroup("/api/v1")
            .RequireAuthorization()
            .RequirePermissions()
            .RequireRateLimiting(RateLimitSetup.ApiPolicy)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitMetadata(null));
        api.MapTeamEndpoints();
        api.MapRegistryEndpoints(uploads);
        api.MapLifecycleEndpoints();
        api.MapSecurityEventEndpoints();
        api.MapPolicyEndpoints();
        api.MapAuditEndpoints();
        api.MapGoldenCheckEndpoints();
        api.MapExportEndpoints(uploads);
        api.MapArchivingEndpoints();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api/reference", o => o
            .WithTitle("AI Asset Portal API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
    }

    private sealed class RequestSizeLimitMetadata(long? limit) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => limit;
    }

    /// <summary>Refuses a declared-oversized JSON body before any of it is read.</summary>
    private sealed class JsonBodyLimitFilter(long limit) : IEndpointFilter
    {
        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            if (context.HttpContext.Request.ContentLength > limit)
            {
                return ValueTask.FromResult<object?>(Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = $"The request body is larger than {limit} bytes.",
                    Extensions = { ["code"] = "request.too-large" },
                }));
            }
            return next(context);
        }
    }
}
