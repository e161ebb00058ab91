using Portal.Core.PromptTemplates;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

/// <summary>Prompt templates: the template of a version, a preview with sample inputs, a diff between versions.</summary>
internal static class PromptEndpoints
{
    public static void MapPromptEndpoints(this RouteGroupBuilder registry)
    {
        registry.MapGet(RegistryEndpoints.VersionPath + "/prompt", GetAsync).WithName("GetPromptTemplate").WithSummary("The template text, declared and used variables.");
        registry.MapPost(RegistryEndpoints.VersionPath + "/prompt/preview", PreviewAsync).WithName("PreviewPrompt").WithSummary("Render the template with sample inputs.");
        registry.MapGet(RegistryEndpoints.AssetPath + "/prompt/diff", DiffAsync).WithName("DiffPrompt").WithSummary("Line diff of the template text between two versions (?from=&to=).");
    }

    private static async Task<IResult> GetAsync(string team, string asset, string version, HttpContext ctx, CallerResolver resolver, PromptTemplateService prompts) =>
        Answer(await prompts.GetAsync(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted));

    private static async Task<IResult> PreviewAsync(string team, string asset, string version, Dictionary<string, string> inputs, HttpContext ctx, CallerResolver resolver, PromptTemplateService prompts)
    {
        var result = await prompts.PreviewAsync(await CallerAsync(ctx, resolver), team, asset, version, inputs, ctx.RequestAborted);
        return Answer(result, v => Results.Ok(new { text = v }));
    }

    private static async Task<IResult> DiffAsync(string team, string asset, string from, string to, HttpContext ctx, CallerResolver resolver, PromptTemplateService prompts) =>
        Answer(await prompts.DiffAsync(await CallerAsync(ctx, resolver), team, asset, from, to, ctx.RequestAborted));
}
