using Microsoft.Net.Http.Headers;
using Portal.Core.Artifacts;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

/// <summary>Files of a version: streamed upload into a pending version, download with ETag and ranges.</summary>
public static class ArtifactEndpoints
{
    internal static void MapArtifactEndpoints(this RouteGroupBuilder registry, RouteGroupBuilder uploads)
    {
        registry.MapGet(RegistryEndpoints.VersionPath + "/artifacts/{**path}", DownloadAsync).WithName("DownloadArtifact")
            .WithSummary("Download a file: attachment, ETag = SHA-256, HTTP range requests supported.");
        uploads.MapPut(RegistryEndpoints.VersionPath + "/artifacts/{**path}", UploadAsync).WithName("UploadArtifact").WithTags("Registry")
            .WithSummary("Stream a file into a pending version. Send X-Content-SHA256 (hex) to have the content verified; a mismatch stores nothing.");
    }

    /// <summary>The same download for people in the browser: their session cookie instead of a token.</summary>
    public static void MapBrowserDownloads(this IEndpointRouteBuilder app) =>
        app.MapGet("/teams/{team}/assets/{asset}/versions/{version}/files/{**path}", DownloadAsync).RequireAuthorization().ExcludeFromDescription();

    private static async Task<IResult> UploadAsync(string team, string asset, string version, string path, HttpContext ctx, CallerResolver resolver, ArtifactService artifacts)
    {
        var expected = ctx.Request.Headers["X-Content-SHA256"].ToString() is { Length: > 0 } sha ? sha.ToLowerInvariant() : null;
        var result = await artifacts.UploadAsync(await CallerAsync(ctx, resolver), team, asset, version, path, ctx.Request.Body, expected,
            ctx.Request.ContentLength, ctx.RequestAborted);
        return Answer(result, v => Results.Created(ApiLinks.Artifact(team, asset, version, v.Path), v));
    }

    private static async Task<IResult> DownloadAsync(string team, string asset, string version, string path, HttpContext ctx, CallerResolver resolver, ArtifactService artifacts)
    {
        var result = await artifacts.OpenAsync(await CallerAsync(ctx, resolver), team, asset, version, path, ctx.RequestAborted);
        if (!result.IsSuccess)
            return result.Error!.ToResult();
        var file = result.Value;
        // Always an attachment of opaque bytes: HTML or SVG from a model repository never renders in the portal's origin.
        // The file name goes out as RFC 6266 filename*=UTF-8''… with an ASCII fallback (ContentDispositionHeaderValue.SetHttpFileName).
        return new VerifiedDownloadResult(Results.File(file.Content, "application/octet-stream", file.FileName, file.CreatedAt,
            new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: file.RangesAllowed));
    }
}
