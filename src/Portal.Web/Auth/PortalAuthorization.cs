using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Web.Api;

namespace Portal.Web.Auth;

/// <summary>An endpoint or page needs the caller to be allowed one action; the policy of the same name asks for it.</summary>
public sealed class PortalActionRequirement(PortalAction action) : IAuthorizationRequirement
{
    public PortalAction Action { get; } = action;
}

/// <summary>Why the gate refused, as the error the caller is told (a 404 for what they may not see, else 403).</summary>
public sealed class GateRefusal(IAuthorizationHandler handler, Error error) : AuthorizationFailureReason(handler, error.Message)
{
    public Error Error { get; } = error;
}

public static class PortalPolicies
{
    /// <summary>One policy per action, named after it: <c>[Authorize(Policy = nameof(PortalAction.ViewTeam))]</c>.</summary>
    public static void Add(AuthorizationOptions options)
    {
        foreach (var action in Enum.GetValues<PortalAction>())
            options.AddPolicy(action.ToString(), p => p.AddRequirements(new PortalActionRequirement(action)));
    }
}

/// <summary>
/// Asks <see cref="AccessGate"/> for every request and every interactive route change, with roles read
/// from the database, the team and asset taken from the route, and a share looked up when an asset is named and the caller's own
/// roles refuse.
/// </summary>
public sealed class PortalActionHandler(CallerResolver resolver, AccessService access, IHttpContextAccessor http) : AuthorizationHandler<PortalActionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PortalActionRequirement requirement)
    {
        var caller = await resolver.ResolveAsync(context.User, null, null);
        var team = RouteValue(context.Resource, "team");
        var asset = RouteValue(context.Resource, "asset");
        var refusal = team is null ? AccessGate.Check(caller, requirement.Action, AccessTarget.Platform)
            : asset is null ? AccessGate.Check(caller, requirement.Action, AccessTarget.Team(team))
            : await AccessGate.CheckAssetAsync(caller, requirement.Action, team, asset, () => access.IsSharedWithAsync(caller, team, asset));
        if (refusal is { } denied)
            context.Fail(new GateRefusal(this, denied));
        else
            context.Succeed(requirement);
    }

    private string? RouteValue(object? resource, string name) => resource switch
    {
        HttpContext ctx => ctx.GetRouteValue(name) as string,
        // Page parameters are spelled {Team}; interactive route values keep that spelling.
        Microsoft.AspNetCore.Components.RouteData route => route.RouteValues
            .FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value as string,
        _ => http.HttpContext?.GetRouteValue(name) as string,
    };
}

/// <summary>Answers what the gate said: 404 for what the caller may not see, 403 otherwise, as problem details on the API.</summary>
public sealed class PortalAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!result.Forbidden || result.AuthorizationFailure?.FailureReasons.OfType<GateRefusal>().FirstOrDefault() is not { } refusal)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }
        if (context.Request.Path.StartsWithSegments("/api"))
            await ApiProblems.Write(context, refusal.Error);
        else
            context.Response.StatusCode = ApiProblems.StatusOf(refusal.Error.Kind);
    }
}
