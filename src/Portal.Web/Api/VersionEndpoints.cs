using Portal.Core.Versions;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

public sealed record VersionPatch(string? Description, IReadOnlyList<string>? Tags);
public sealed record DvcImportRequest(string? Version, string? DvcFile, string? Remote, string? Description);

/// <summary>Versions: search, register (directly or from a DVC file), read, edit, finalize and abandon.</summary>
internal static class VersionEndpoints
{
    public static void MapVersionEndpoints(this RouteGroupBuilder registry)
    {
        const string assetPath = RegistryEndpoints.AssetPath;
        const string versionPath = RegistryEndpoints.VersionPath;
        registry.MapGet("/teams/{team}/versions", SearchVersionsAsync).WithName("SearchVersions")
            .WithSummary("Versions of the team's assets by tag and/or metric (?tag=&metric=accuracy&min=0.9), newest first, with a cursor.");
        registry.MapGet(assetPath + "/next-version", SuggestAsync).WithName("SuggestNextVersion");
        registry.MapGet(assetPath + "/versions", ListVersionsAsync).WithName("ListVersions")
            .WithSummary("The asset's versions, highest SemVer precedence first (prereleases ordered as the spec says), a page at a time: ?limit= (1–200, default 100) and the nextCursor of the previous page.");
        registry.MapPost(assetPath + "/versions", CreateVersionAsync).WithName("CreateVersion")
            .WithSummary("Register a pending version with parameters, tags and lineage. Send Idempotency-Key.");
        registry.MapPost(assetPath + "/versions/import-dvc", ImportDvcAsync).WithName("ImportDvcVersion")
            .WithSummary("Register a dataset version from a DVC .dvc file: its md5 becomes the content hash, its location the DVC remote's cache entry.");
        registry.MapGet(versionPath, GetVersionAsync).WithName("GetVersion");
        registry.MapGet(assetPath + "/compare", async (string team, string asset, string? versions, HttpContext ctx, CallerResolver r, VersionComparisonService s) =>
                Answer(await s.CompareAsync(await CallerAsync(ctx, r), team, asset, (versions ?? "").Split(','), ctx.RequestAborted)))
            .WithName("CompareVersions")
            .WithSummary("2 to 5 versions side by side (?versions=1.0.0,1.1.0): parameters, latest metrics per slice with deltas from the first, model cards.");
        registry.MapPatch(versionPath, UpdateVersionAsync).WithName("UpdateVersion").WithSummary("Edit tags and description (allowed after finalization).");
        registry.MapPost(versionPath + "/finalize", (string team, string asset, string version, HttpContext ctx, CallerResolver r, VersionService s) =>
            TransitionAsync(team, asset, version, true, ctx, r, s)).WithName("FinalizeVersion");
        registry.MapPost(versionPath + "/abandon", (string team, string asset, string version, HttpContext ctx, CallerResolver r, VersionService s) =>
            TransitionAsync(team, asset, version, false, ctx, r, s)).WithName("AbandonVersion");
    }

    private static async Task<IResult> SearchVersionsAsync(string team, string? tag, string? metric, double? min, string? cursor, int? limit,
        HttpContext ctx, CallerResolver resolver, VersionService versions) =>
        Answer(await versions.SearchAsync(await CallerAsync(ctx, resolver), team, new VersionSearch(tag, metric, min, cursor, limit ?? 25), ctx.RequestAborted));

    private static async Task<IResult> SuggestAsync(string team, string asset, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var result = await versions.SuggestNextAsync(await CallerAsync(ctx, resolver), team, asset, ctx.RequestAborted);
        return Answer(result, v => Results.Ok(new { patch = v.Patch, minor = v.Minor, major = v.Major }));
    }

    private static async Task<IResult> ListVersionsAsync(string team, string asset, string? cursor, int? limit, HttpContext ctx, CallerResolver resolver,
        VersionService versions) =>
        Answer(await versions.ListAsync(await CallerAsync(ctx, resolver), team, asset, cursor, limit ?? 100, ctx.RequestAborted));

    private static async Task<IResult> CreateVersionAsync(string team, string asset, VersionInput input, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var result = await versions.CreateAsync(await CallerAsync(ctx, resolver), team, asset, input, IdempotencyKey(ctx), ctx.RequestAborted);
        if (!result.IsSuccess)
            return result.Error!.ToResult();
        ctx.Response.Headers.ETag = $"\"{result.Value.Revision}\"";
        return Results.Created(ApiLinks.Version(result.Value.Team, result.Value.Asset, result.Value.Version), result.Value);
    }

    private static async Task<IResult> ImportDvcAsync(string team, string asset, DvcImportRequest request, HttpContext ctx, CallerResolver resolver,
        IDvcFileReader dvc, VersionService versions)
    {
        var output = dvc.Read(request.DvcFile ?? "");
        if (!output.IsSuccess)
            return output.Error!.ToResult();
        var input = DvcReference.ToVersionInput(output.Value, request.Version ?? "", request.Remote ?? "", request.Description);
        var result = await versions.CreateAsync(await CallerAsync(ctx, resolver), team, asset, input, IdempotencyKey(ctx), ctx.RequestAborted);
        return Answer(result, v => Results.Created(ApiLinks.Version(v.Team, v.Asset, v.Version), v));
    }

    private static async Task<IResult> GetVersionAsync(string team, string asset, string version, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var result = await versions.GetAsync(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted);
        return Answer(result, v => WithETag(ctx, v.Revision, v));
    }

    private static async Task<IResult> UpdateVersionAsync(string team, string asset, string version, VersionPatch patch, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var caller = await CallerAsync(ctx, resolver);
        var current = await versions.GetAsync(caller, team, asset, version, ctx.RequestAborted);
        if (!current.IsSuccess)
            return current.Error!.ToResult();
        var result = await versions.UpdateAsync(caller, team, asset, version, patch.Description ?? current.Value.Description,
            patch.Tags ?? current.Value.Tags, IfMatch(ctx), ctx.RequestAborted);
        return Answer(result, v => WithETag(ctx, v.Revision, v));
    }

    private static async Task<IResult> TransitionAsync(string team, string asset, string version, bool finalize, HttpContext ctx, CallerResolver resolver, VersionService versions)
    {
        var caller = await CallerAsync(ctx, resolver);
        var result = finalize
            ? await versions.FinalizeAsync(caller, team, asset, version, ctx.RequestAborted)
            : await versions.AbandonAsync(caller, team, asset, version, ctx.RequestAborted);
        return Answer(result, v => WithETag(ctx, v.Revision, v));
    }
}
