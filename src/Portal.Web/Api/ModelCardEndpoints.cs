using Portal.Core.ModelCards;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

public sealed record ModelCardRequest(Dictionary<string, string>? Sections, int? BasedOnRevision);
public sealed record ModelCardRevisionResponse(int Number, DateTimeOffset At, string By, int Completeness);
public sealed record ModelCardResponse(int Revision, IReadOnlyDictionary<string, string> Sections, int Completeness, IReadOnlyList<ModelCardRevisionResponse> History)
{
    public static ModelCardResponse From(ModelCardView card) => new(card.Revision, card.Sections, card.Completeness,
        card.History.Select(h => new ModelCardRevisionResponse(h.Number, h.At, h.By, h.Completeness)).ToList());
}

/// <summary>The model card of a version: read a revision, save a new one.</summary>
internal static class ModelCardEndpoints
{
    public static void MapModelCardEndpoints(this RouteGroupBuilder registry)
    {
        registry.MapGet(RegistryEndpoints.VersionPath + "/model-card", GetModelCardAsync).WithName("GetModelCard")
            .WithSummary("The latest model card revision (or ?revision=N), its completeness and the revision history.");
        registry.MapPut(RegistryEndpoints.VersionPath + "/model-card", SaveModelCardAsync).WithName("SaveModelCard")
            .WithSummary("Save the sections as a new revision; send basedOnRevision to refuse overwriting someone else's save.");
    }

    private static async Task<IResult> GetModelCardAsync(string team, string asset, string version, int? revision, HttpContext ctx, CallerResolver resolver, ModelCardService cards)
    {
        if (revision is < 1)
            return Portal.Core.Common.Paging.Invalid(new Dictionary<string, string[]> { ["revision"] = ["A revision number is 1 or more."] }).ToResult();
        var result = await cards.GetAsync(await CallerAsync(ctx, resolver), team, asset, version, revision, ctx.RequestAborted);
        return Answer(result, v => Results.Ok(ModelCardResponse.From(v)));
    }

    private static async Task<IResult> SaveModelCardAsync(string team, string asset, string version, ModelCardRequest request, HttpContext ctx, CallerResolver resolver, ModelCardService cards)
    {
        var result = await cards.SaveAsync(await CallerAsync(ctx, resolver), team, asset, version, request.Sections ?? new Dictionary<string, string>(),
            request.BasedOnRevision, ctx.RequestAborted);
        return Answer(result, v => Results.Ok(ModelCardResponse.From(v)));
    }
}
