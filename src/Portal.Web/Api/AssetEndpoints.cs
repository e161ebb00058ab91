using Portal.Core.Assets;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

public sealed record AssetPatch(string? Description, string? Owner, IReadOnlyList<string>? Tags);

/// <summary>Assets: list, register, read, edit and share.</summary>
internal static class AssetEndpoints
{
    public static void MapAssetEndpoints(this RouteGroupBuilder registry)
    {
        registry.MapGet("/teams/{team}/assets", ListAssetsAsync).WithName("ListAssets")
            .WithSummary("The team's assets and those shared with it, by name; pass nextCursor as cursor for the next page.");
        registry.MapPost("/teams/{team}/assets", CreateAssetAsync).WithName("CreateAsset")
            .WithSummary("Register an asset. Send Idempotency-Key so a retry never creates a second one.");
        registry.MapGet(RegistryEndpoints.AssetPath, GetAssetAsync).WithName("GetAsset");
        registry.MapPatch(RegistryEndpoints.AssetPath, UpdateAssetAsync).WithName("UpdateAsset").WithSummary("Edit description, owner and tags; send If-Match with the ETag.");
        registry.MapPut(RegistryEndpoints.AssetPath + "/shares/{otherTeam}", (string team, string asset, string otherTeam, HttpContext ctx, CallerResolver r, AssetService s) =>
            ShareAsync(team, asset, otherTeam, true, ctx, r, s)).WithName("ShareAsset").WithSummary("Share read-only with another team (TeamAdmin).");
        registry.MapDelete(RegistryEndpoints.AssetPath + "/shares/{otherTeam}", (string team, string asset, string otherTeam, HttpContext ctx, CallerResolver r, AssetService s) =>
            ShareAsync(team, asset, otherTeam, false, ctx, r, s)).WithName("UnshareAsset");
    }

    private static async Task<IResult> ListAssetsAsync(string team, AssetKind? kind, string? tag, string? q, string? cursor, int? limit, AssetSort? sort,
        HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var caller = await CallerAsync(ctx, resolver);
        return Answer(await assets.ListAsync(caller, team, new AssetFilter(kind, tag, q, cursor, limit ?? 25, sort ?? AssetSort.Name), ctx.RequestAborted));
    }

    private static async Task<IResult> CreateAssetAsync(string team, AssetInput input, HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var caller = await CallerAsync(ctx, resolver);
        var result = await assets.CreateAsync(caller, team, input, IdempotencyKey(ctx), ctx.RequestAborted);
        if (!result.IsSuccess)
            return result.Error!.ToResult();
        ctx.Response.Headers.ETag = $"\"{result.Value.Revision}\"";
        return Results.Created(ApiLinks.Asset(result.Value.Team, result.Value.Name), result.Value);
    }

    private static async Task<IResult> GetAssetAsync(string team, string asset, HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var result = await assets.GetAsync(await CallerAsync(ctx, resolver), team, asset, ctx.RequestAborted);
        return Answer(result, v => WithETag(ctx, v.Revision, v));
    }

    private static async Task<IResult> UpdateAssetAsync(string team, string asset, AssetPatch patch, HttpContext ctx, CallerResolver resolver, AssetService assets)
    {
        var caller = await CallerAsync(ctx, resolver);
        var current = await assets.GetAsync(caller, team, asset, ctx.RequestAborted);
        if (!current.IsSuccess)
            return current.Error!.ToResult();
        var update = new AssetUpdate(patch.Description ?? current.Value.Description, patch.Owner ?? current.Value.Owner, patch.Tags ?? current.Value.Tags);
        var result = await assets.UpdateAsync(caller, team, asset, update, IfMatch(ctx), ctx.RequestAborted);
        return Answer(result, v => WithETag(ctx, v.Revision, v));
    }

    private static async Task<IResult> ShareAsync(string team, string asset, string otherTeam, bool share, HttpContext ctx, CallerResolver resolver, AssetService assets) =>
        Answer(await assets.SetSharingAsync(await CallerAsync(ctx, resolver), team, asset, otherTeam, share, ctx.RequestAborted));
}
