using Microsoft.Net.Http.Headers;
using Portal.Core.Exports;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public sealed record ExportBody(string? Kind, string? Format, string? Team, string? Asset, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>
/// Audit exports: start one (it runs as a job), poll it, download the file when it is done, and check
/// whether a file was issued by the portal. Exports are the requester's own; the service asks the gate
/// for the team or asset named in the body.
/// </summary>
public static class ExportEndpoints
{
    public static void MapExportEndpoints(this RouteGroupBuilder api, RouteGroupBuilder uploads)
    {
        var group = api.MapGroup("/exports").WithTags("Exports");
        group.MapPost("", StartAsync).WithName("StartExport")
            .WithSummary("Start a dossier (kind=dossier, team, asset) or period report (kind=report, team or none for every team, from, to) as pdf or json; poll the Location until Completed.");
        group.MapGet("", async (HttpContext ctx, CallerResolver r, ExportService s) =>
            ApiRequest.Answer(await s.ListAsync(await ApiRequest.CallerAsync(ctx, r), ctx.RequestAborted))).WithName("ListExports")
            .WithSummary("The caller's own exports, newest first.");
        group.MapGet("/{id}", async (string id, HttpContext ctx, CallerResolver r, ExportService s) =>
            ApiRequest.Answer(await s.GetAsync(await ApiRequest.CallerAsync(ctx, r), id, ctx.RequestAborted))).WithName("GetExport")
            .WithSummary("State and progress (0-100) of an export; when Completed, its SHA-256 and the file link.");
        group.MapGet("/{id}/file", DownloadAsync).WithName("DownloadExport");
        // Exports can be large: the check takes the raw file body without the JSON size limit.
        uploads.MapPost("/exports/check", CheckAsync).WithName("CheckExportFile").WithTags("Exports")
            .WithSummary("Send a file's bytes as the body: answers whether the portal issued it, when and to whom, from the audit log.");
    }

    /// <summary>The same download for a signed-in browser (cookie), which the API's token-only scheme does not take.</summary>
    public static void MapBrowserExportDownloads(this IEndpointRouteBuilder app) =>
        app.MapGet("/audit/exports/{id}/file", DownloadAsync).RequireAuthorization().ExcludeFromDescription();

    private static async Task<IResult> StartAsync(ExportBody body, HttpContext ctx, CallerResolver resolver, ExportService exports)
    {
        var caller = await ApiRequest.CallerAsync(ctx, resolver);
        var result = await exports.StartAsync(caller, new ExportRequest(body.Kind, body.Format, body.Team, body.Asset, body.From, body.To), ctx.RequestAborted);
        return result.IsSuccess ? Results.Accepted($"/api/v1/exports/{result.Value.Id}", result.Value) : result.Error!.ToResult();
    }

    private static async Task<IResult> DownloadAsync(string id, HttpContext ctx, CallerResolver resolver, ExportService exports)
    {
        var result = await exports.DownloadAsync(await ApiRequest.CallerAsync(ctx, resolver), id, ctx.RequestAborted);
        if (!result.IsSuccess)
            return result.Error!.ToResult();
        var file = result.Value;
        return Results.File(file.Content, file.ContentType, file.FileName, entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""));
    }

    private static async Task<IResult> CheckAsync(HttpContext ctx, CallerResolver resolver, ExportCheckService checks) =>
        ApiRequest.Answer(await checks.CheckAsync(await ApiRequest.CallerAsync(ctx, resolver), ctx.Request.Body, ctx.RequestAborted));
}
