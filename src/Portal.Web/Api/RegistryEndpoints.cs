using Microsoft.Net.Http.Headers;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.ModelCards;
using Portal.Core.PromptTemplates;
using Portal.Core.Versions;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public sealed record AssetPatch(string? Description, string? Owner, IReadOnlyList<string>? Tags);
public sealed record VersionPatch(string? Description, IReadOnlyList<string>? Tags);
public sealed record DvcImportRequest(string? Version, string? DvcFile, string? Remote, string? Description);
public sealed record ModelCardRequest(Dictionary<string, string>? Sections, int? BasedOnRevision);
public sealed record ModelCardRevisionResponse(int Number, DateTimeOffset At, string By, int Completeness);
public sealed record ModelCardResponse(int Revision, IReadOnlyDictionary<string, string> Sections, int Completeness, IReadOnlyList<ModelCardRevisionResponse> History)
{
    public static ModelCardResponse From(ModelCardView card) => new(card.Revision, card.Sections, card.Completeness,
        card.History.Select(h => new ModelCardRevisionResponse(h.Number, h.At, h.By, h.Completeness)).ToList());
}

/// <summary>
/// The registry for pipelines. Team-level authorization happens in the services, because an asset
/// shared with another team is readable by it through the owning team's URL.
/// </summary>
public static class RegistryEndpoints
{
    private const string AssetPath = "/teams/{team}/assets/{asset}";
    private const string VersionPath = AssetPath + "/versions/{version}";

    public static void MapRegistryEndpoints(this RouteGroupBuilder api, RouteGroupBuilder uploads)
    {
        var assets = api.MapGroup("").WithTags("Registry");
        assets.MapGet("/teams/{team}/assets", ListAssetsAsync).WithName("ListAssets")
            .WithSummary("The team's assets and those shared with it, by name; pass nextCursor as cursor for the next page.");
        assets.MapGet("/teams/{team}/versions", SearchVersionsAsync).WithName("SearchVersions")
            .WithSummary("Versions of the team's assets by tag and/or metric (?tag=&metric=accuracy&min=0.9), newest first, with a cursor.");
        assets.MapPost("/teams/{team}/assets", CreateAssetAsync).WithName("CreateAsset")
            .WithSummary("Register an asset. Send Idempotency-Key so a retry never creates a second one.");
        assets.MapGet(AssetPath, GetAssetAsync).WithName("GetAsset");
        assets.MapPatch(AssetPath, UpdateAssetAsync).WithName("UpdateAsset").WithSummary("Edit description, owner and tags; send If-Match with the ETag.");
        assets.MapPut(AssetPath + "/shares/{otherTeam}", (string team, string asset, string otherTeam, HttpContext ctx, CallerResolver r, AssetService s) =>
            ShareAsync(team, asset, otherTeam, true, ctx, r, s)).WithName("ShareAsset").WithSummary("Share read-only with another team (TeamAdmin).");
        assets.MapDelete(AssetPath + "/shares/{otherTeam}", (string team, string asset, string otherTeam, HttpContext ctx, CallerResolver r, AssetService s) =>
            ShareAsync(team, asset, otherTeam, false, ctx, r, s)).WithName("UnshareAsset");
        assets.MapGet(AssetPath + "/next-version", SuggestAsync).WithName("SuggestNextVersion");
        assets.MapGet(AssetPath + "/versions", ListVersionsAsync).WithName("ListVersions");
        assets.MapPost(AssetPath + "/versions", CreateVersionAsync).WithName("CreateVersion")
            .WithSummary("Register a pending version with parameters, tags and lineage. Send Idempotency-Key.");
        assets.MapPost(AssetPath + "/versions/import-dvc", ImportDvcAsync).WithName("ImportDvcVersion")
            .WithSummary("Register a dataset version from a DVC .dvc file: its md5 becomes the content hash, its location the DVC remote's cache entry.");
        assets.MapGet(VersionPath, GetVersionAsync).WithName("GetVersion");
        assets.MapPatch(VersionPath, UpdateVersionAsync).WithName("UpdateVersion").WithSummary("Edit tags and description (allowed after finalization).");
        assets.MapPost(VersionPath + "/finalize", (string team, string asset, string version, HttpContext ctx, CallerResolver r, VersionService s) =>
            TransitionAsync(team, asset, version, true, ctx, r, s)).WithName("FinalizeVersion");
        assets.MapPost(VersionPath + "/abandon", (string team, string asset, string version, HttpContext ctx, CallerResolver r, VersionService s) =>
            TransitionAsync(team, asset, version, false, ctx, r, s)).WithName("AbandonVersion");
        assets.MapPost(VersionPath + "/metrics", LogMetricsAsync).WithName("LogMetrics").WithSummary("Append up to 1000 metrics in one request.");
        assets.MapGet(VersionPath + "/metrics", ListMetricsAsync).WithName("ListMetrics");
        assets.MapGet(VersionPath + "/model-card", GetModelCardAsync).WithName("GetModelCard")
            .WithSummary("The latest model card revision (or ?revision=N), its completeness and the revision history.");
        assets.MapPut(VersionPath + "/model-card", SaveModelCardAsync).WithName("SaveModelCard")
            .WithSummary("Save the sections as a new revision; send basedOnRevision to refuse overwriting someone else's save.");
        assets.MapGet(VersionPath + "/prompt", (string team, string asset, string version, HttpContext ctx, CallerResolver r, PromptTemplateService p) =>
            ResultAsync(p.GetAsync, team, asset, version, ctx, r)).WithName("GetPromptTemplate").WithSummary("The template text, declared and used variables.");
        assets.MapPost(VersionPath + "/prompt/preview", PreviewAsync).WithName("PreviewPrompt").WithSummary("Render the template with sample inputs.");
        assets.MapGet(AssetPath + "/prompt/diff", DiffAsync).WithName("DiffPrompt").WithSummary("Line diff of the template text between two versions (?from=&to=).");
        assets.MapGet(VersionPath + "/artifacts/{**path}", DownloadAsync).WithName("DownloadArtifact")
            .WithSummary("Download a file: attachment, ETag = SHA-256, HTTP range requests supported.");

        uploads.MapPut(VersionPath + "/artifacts/{**path}", UploadAsync).WithName("UploadArtifact").WithTags("Registry")
            .WithSummary("Stream a file into a pending version. Send X-Content-SHA256 (hex) to have the content verified; a mismatch stores nothing.");
    }

    private static Task<Portal.Core.Teams.CallerAccess> CallerAsync(HttpContext ctx, CallerResolver resolver) =>
        resolver.ResolveAsync(ctx.User, TeamEndpoints.ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);

    private static IResult Problem(Error error) => error.ToResult();

    private static IResult WithETag(HttpContext ctx, int revision, object body)
    {
        ctx.Response.Headers.ETag = $"\"{revision}\"";
        return Results.Ok(body);
    }

    private static int? IfMatch(HttpContext ctx) =>
        ctx.Request.Headers.IfMatch.ToString().Trim('"', ' ', 'W', '/') is { Length: > 0 } text && int.TryParse(text, out var rev) ? rev : null;

    private static string? IdempotencyKey(HttpContext ctx) =>
        ctx.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 and <= 100 } key ? key : null;

    private static async Task<IResult> ListAssetsAsync(string team, AssetKind? kind, string? tag, string? q, string? cursor, int? limit, AssetSort? sort,
        HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var caller = await CallerAsync(ctx, resolver);
        var page = await assets.ListAsync(caller, team, new AssetFilter(kind, tag, q, cursor, limit ?? 25, sort ?? AssetSort.Name), ctx.RequestAborted);
        return page.IsSuccess ? Results.Ok(page.Value) : Problem(page.Error!);
    }

    private static async Task<IResult> SearchVersionsAsync(string team, string? tag, string? metric, double? min, string? cursor, int? limit,
        HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var page = await versions.SearchAsync(await CallerAsync(ctx, resolver), team, new VersionSearch(tag, metric, min, cursor, limit ?? 25), ctx.RequestAborted);
        return page.IsSuccess ? Results.Ok(page.Value) : Problem(page.Error!);
    }

    private static async Task<IResult> CreateAssetAsync(string team, AssetInput input, HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var caller = await CallerAsync(ctx, resolver);
        var result = await assets.CreateAsync(caller, team, input, IdempotencyKey(ctx), ctx.RequestAborted);
        if (!result.IsSuccess)
            return Problem(result.Error!);
        ctx.Response.Headers.ETag = $"\"{result.Value.Revision}\"";
        return Results.Created($"/api/v1/teams/{result.Value.Team}/assets/{result.Value.Name}", result.Value);
    }

    private static async Task<IResult> GetAssetAsync(string team, string asset, HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var result = await assets.GetAsync(await CallerAsync(ctx, resolver), team, asset, ctx.RequestAborted);
        return result.IsSuccess ? WithETag(ctx, result.Value.Revision, result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> UpdateAssetAsync(string team, string asset, AssetPatch patch, HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var caller = await CallerAsync(ctx, resolver);
        var current = await assets.GetAsync(caller, team, asset, ctx.RequestAborted);
        if (!current.IsSuccess)
            return Problem(current.Error!);
        var update = new AssetUpdate(patch.Description ?? current.Value.Description, patch.Owner ?? current.Value.Owner, patch.Tags ?? current.Value.Tags);
        var result = await assets.UpdateAsync(caller, team, asset, update, IfMatch(ctx), ctx.RequestAborted);
        return result.IsSuccess ? WithETag(ctx, result.Value.Revision, result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> ShareAsync(string team, string asset, string otherTeam, bool share, HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var result = await assets.SetSharingAsync(await CallerAsync(ctx, resolver), team, asset, otherTeam, share, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> SuggestAsync(string team, string asset, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var result = await versions.SuggestNextAsync(await CallerAsync(ctx, resolver), team, asset, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(new { patch = result.Value.Patch, minor = result.Value.Minor, major = result.Value.Major }) : Problem(result.Error!);
    }

    private static async Task<IResult> ListVersionsAsync(string team, string asset, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var result = await versions.ListAsync(await CallerAsync(ctx, resolver), team, asset, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> CreateVersionAsync(string team, string asset, VersionInput input, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var result = await versions.CreateAsync(await CallerAsync(ctx, resolver), team, asset, input, IdempotencyKey(ctx), ctx.RequestAborted);
        if (!result.IsSuccess)
            return Problem(result.Error!);
        ctx.Response.Headers.ETag = $"\"{result.Value.Revision}\"";
        return Results.Created($"/api/v1/teams/{team}/assets/{asset}/versions/{result.Value.Version}", result.Value);
    }

    private static async Task<IResult> ImportDvcAsync(string team, string asset, DvcImportRequest request, HttpContext ctx, CallerResolver resolver,
        IDvcFileReader dvc, VersionService versions)
    {
        var output = dvc.Read(request.DvcFile ?? "");
        if (!output.IsSuccess)
            return Problem(output.Error!);
        var input = DvcReference.ToVersionInput(output.Value, request.Version ?? "", request.Remote ?? "", request.Description);
        var result = await versions.CreateAsync(await CallerAsync(ctx, resolver), team, asset, input, IdempotencyKey(ctx), ctx.RequestAborted);
        return result.IsSuccess
            ? Results.Created($"/api/v1/teams/{team}/assets/{asset}/versions/{result.Value.Version}", result.Value)
            : Problem(result.Error!);
    }

    private static async Task<IResult> GetVersionAsync(string team, string asset, string version, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var result = await versions.GetAsync(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted);
        return result.IsSuccess ? WithETag(ctx, result.Value.Revision, result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> UpdateVersionAsync(string team, string asset, string version, VersionPatch patch, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var caller = await CallerAsync(ctx, resolver);
        var current = await versions.GetAsync(caller, team, asset, version, ctx.RequestAborted);
        if (!current.IsSuccess)
            return Problem(current.Error!);
        var result = await versions.UpdateAsync(caller, team, asset, version, patch.Description ?? current.Value.Description,
            patch.Tags ?? current.Value.Tags, IfMatch(ctx), ctx.RequestAborted);
        return result.IsSuccess ? WithETag(ctx, result.Value.Revision, result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> TransitionAsync(string team, string asset, string version, bool finalize, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var caller = await CallerAsync(ctx, resolver);
        var result = finalize
            ? await versions.FinalizeAsync(caller, team, asset, version, ctx.RequestAborted)
            : await versions.AbandonAsync(caller, team, asset, version, ctx.RequestAborted);
        return result.IsSuccess ? WithETag(ctx, result.Value.Revision, result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> LogMetricsAsync(string team, string asset, string version, IReadOnlyList<MetricInput> metrics, HttpContext ctx, CallerResolver resolver, MetricService service)
    {
        var result = await service.LogAsync(await CallerAsync(ctx, resolver), team, asset, version, metrics, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(new { recorded = result.Value }) : Problem(result.Error!);
    }

    private static async Task<IResult> ListMetricsAsync(string team, string asset, string version, HttpContext ctx, CallerResolver resolver, MetricService service)
    {
        var result = await service.ListAsync(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> GetModelCardAsync(string team, string asset, string version, int? revision, HttpContext ctx, CallerResolver resolver, ModelCardService cards)
    {
        var result = await cards.GetAsync(await CallerAsync(ctx, resolver), team, asset, version, revision, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(ModelCardResponse.From(result.Value)) : Problem(result.Error!);
    }

    private static async Task<IResult> SaveModelCardAsync(string team, string asset, string version, ModelCardRequest request, HttpContext ctx, CallerResolver resolver, ModelCardService cards)
    {
        var result = await cards.SaveAsync(await CallerAsync(ctx, resolver), team, asset, version, request.Sections ?? new Dictionary<string, string>(),
            request.BasedOnRevision, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(ModelCardResponse.From(result.Value)) : Problem(result.Error!);
    }

    private static async Task<IResult> ResultAsync<T>(Func<Portal.Core.Teams.CallerAccess, string, string, string, CancellationToken, Task<Result<T>>> call,
        string team, string asset, string version, HttpContext ctx, CallerResolver resolver)
    {
        var result = await call(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> PreviewAsync(string team, string asset, string version, Dictionary<string, string> inputs, HttpContext ctx, CallerResolver resolver, PromptTemplateService prompts)
    {
        var result = await prompts.PreviewAsync(await CallerAsync(ctx, resolver), team, asset, version, inputs, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(new { text = result.Value }) : Problem(result.Error!);
    }

    private static async Task<IResult> DiffAsync(string team, string asset, string from, string to, HttpContext ctx, CallerResolver resolver, PromptTemplateService prompts)
    {
        var result = await prompts.DiffAsync(await CallerAsync(ctx, resolver), team, asset, from, to, ctx.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : Problem(result.Error!);
    }

    private static async Task<IResult> UploadAsync(string team, string asset, string version, string path, HttpContext ctx, CallerResolver resolver, ArtifactService artifacts)
    {
        var expected = ctx.Request.Headers["X-Content-SHA256"].ToString() is { Length: > 0 } sha ? sha.ToLowerInvariant() : null;
        var result = await artifacts.UploadAsync(await CallerAsync(ctx, resolver), team, asset, version, path, ctx.Request.Body, expected,
            ctx.Request.ContentLength, ctx.RequestAborted);
        return result.IsSuccess
            ? Results.Created($"/api/v1/teams/{team}/assets/{asset}/versions/{version}/artifacts/{path}", result.Value)
            : Problem(result.Error!);
    }

    /// <summary>The same download for people in the browser: their session cookie instead of a token.</summary>
    public static void MapBrowserDownloads(this IEndpointRouteBuilder app) =>
        app.MapGet("/teams/{team}/assets/{asset}/versions/{version}/files/{**path}", DownloadAsync).RequireAuthorization().ExcludeFromDescription();

    private static async Task<IResult> DownloadAsync(string team, string asset, string version, string path, HttpContext ctx, CallerResolver resolver, ArtifactService artifacts)
    {
        var result = await artifacts.OpenAsync(await CallerAsync(ctx, resolver), team, asset, version, path, ctx.RequestAborted);
        if (!result.IsSuccess)
            return Problem(result.Error!);
        var file = result.Value;
        // Always an attachment of opaque bytes: HTML or SVG from a model repository never renders in the portal's origin.
        return new VerifiedDownloadResult(Results.File(file.Content, "application/octet-stream", file.FileName, file.CreatedAt,
            new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: file.RangesAllowed));
    }
}
