using System.Text;
using System.Text.Json;
using Portal.Core.Common;
using Portal.Core.Policies;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public sealed record PolicyTextRequest(string? Yaml);

public sealed record PolicyEvaluationResponse(bool ChecksPass, bool Passes, IReadOnlyList<RuleResult> Results, IReadOnlyList<ApprovalRequirement> RequiredApprovals)
{
    public static PolicyEvaluationResponse From(PolicyEvaluation e) => new(e.ChecksPass, e.Passes, e.Results, e.RequiredApprovals);
}

/// <summary>Policy documents: a team's under its URL, global ones under <c>/policies</c>; dry runs under the version they judge.</summary>
public static class PolicyEndpoints
{
    private const string TeamPolicies = "/teams/{team}/policies";
    private const string GlobalPolicies = "/policies";

    public static void MapPolicyEndpoints(this RouteGroupBuilder api)
    {
        var policies = api.MapGroup("").WithTags("Policies");
        policies.MapGet(TeamPolicies, (string team, HttpContext ctx, CallerResolver r, PolicyService p) =>
            Respond(ctx, r, c => p.ListAsync(c, team, ctx.RequestAborted))).WithName("ListTeamPolicies")
            .WithSummary("The team's policies and the global ones, newest revision of each.");
        policies.MapGet(TeamPolicies + "/{name}", (string team, string name, int? revision, HttpContext ctx, CallerResolver r, PolicyService p) =>
            Respond(ctx, r, c => p.GetAsync(c, team, name, revision, ctx.RequestAborted))).WithName("GetTeamPolicy")
            .WithSummary("The newest revision (or ?revision=N) and the revision history.");
        policies.MapPut(TeamPolicies + "/{name}", (string team, string name, HttpContext ctx, CallerResolver r, PolicyService p) =>
            SaveAsync(ctx, r, (c, yaml) => p.SaveAsync(c, team, yaml, name, ctx.RequestAborted))).WithName("SaveTeamPolicy")
            .WithSummary("Save the YAML (text/plain, or JSON {\"yaml\": ...}) as a new revision. Refused when it loosens a global rule.");
        policies.MapGet(TeamPolicies + "/{name}/diff", (string team, string name, int from, int to, HttpContext ctx, CallerResolver r, PolicyService p) =>
            Respond(ctx, r, c => p.DiffAsync(c, team, name, from, to, ctx.RequestAborted))).WithName("DiffTeamPolicy")
            .WithSummary("Line diff between two revisions (?from=&to=).");

        policies.MapGet(GlobalPolicies, (HttpContext ctx, CallerResolver r, PolicyService p) =>
            Respond(ctx, r, c => p.ListGlobalAsync(c, ctx.RequestAborted))).WithName("ListGlobalPolicies");
        policies.MapGet(GlobalPolicies + "/{name}", (string name, int? revision, HttpContext ctx, CallerResolver r, PolicyService p) =>
            Respond(ctx, r, c => p.GetGlobalAsync(c, name, revision, ctx.RequestAborted))).WithName("GetGlobalPolicy");
        policies.MapPut(GlobalPolicies + "/{name}", (string name, HttpContext ctx, CallerResolver r, PolicyService p) =>
            SaveAsync(ctx, r, (c, yaml) => p.SaveGlobalAsync(c, yaml, name, ctx.RequestAborted))).WithName("SaveGlobalPolicy")
            .WithSummary("Save the YAML (text/plain, or JSON {\"yaml\": ...}) as a new revision of a global policy.");
        policies.MapGet(GlobalPolicies + "/{name}/diff", (string name, int from, int to, HttpContext ctx, CallerResolver r, PolicyService p) =>
            Respond(ctx, r, c => p.DiffGlobalAsync(c, name, from, to, ctx.RequestAborted))).WithName("DiffGlobalPolicy");

        policies.MapGet("/teams/{team}/assets/{asset}/versions/{version}/policy-dry-run", DryRunAsync).WithName("DryRunPolicy")
            .WithSummary("Judge the version with one policy revision (?policy=&policyTeam=&revision=&target=); policyTeam left out means a global policy.");
    }

    private static async Task<IResult> DryRunAsync(string team, string asset, string version, string policy, string? policyTeam, int? revision, string target,
        HttpContext ctx, CallerResolver resolver, PolicyService policies)
    {
        var result = await policies.DryRunAsync(await CallerAsync(ctx, resolver), team, asset, version, new PolicyReference(policyTeam, policy, revision), target,
            ctx.RequestAborted);
        return ApiRequest.Answer(result, v => Results.Ok(PolicyEvaluationResponse.From(v)));
    }

    private static async Task<IResult> Respond<T>(HttpContext ctx, CallerResolver resolver, Func<Portal.Core.Teams.CallerAccess, Task<Result<T>>> call)
    {
        var result = await call(await CallerAsync(ctx, resolver));
        return ApiRequest.Answer(result);
    }

    /// <summary>Policies are YAML, so the body may be the text itself; JSON clients send {"yaml": "..."}.</summary>
    private static async Task<IResult> SaveAsync(HttpContext ctx, CallerResolver resolver, Func<Portal.Core.Teams.CallerAccess, string, Task<Result<PolicyDetail>>> save)
    {
        var caller = await CallerAsync(ctx, resolver);
        string? yaml;
        if (ctx.Request.HasJsonContentType())
        {
            try
            {
                yaml = (await ctx.Request.ReadFromJsonAsync<PolicyTextRequest>(ctx.RequestAborted))?.Yaml;
            }
            catch (JsonException)
            {
                yaml = null;
            }
        }
        else
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            yaml = await reader.ReadToEndAsync(ctx.RequestAborted);
        }
        var result = await save(caller, yaml ?? "");
        return ApiRequest.Answer(result);
    }

    private static Task<Portal.Core.Teams.CallerAccess> CallerAsync(HttpContext ctx, CallerResolver resolver) =>
        resolver.ResolveAsync(ctx.User, TeamEndpoints.ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);
}
