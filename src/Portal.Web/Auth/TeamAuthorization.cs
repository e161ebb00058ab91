using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components;
using Portal.Core.Teams;
using Portal.Web.Api;

namespace Portal.Web.Auth;

/// <summary>Access to the team named by the <c>{team}</c> route value: view, a minimum role, or administration.</summary>
public sealed class TeamAccessRequirement(TeamRole? atLeast, bool manage) : IAuthorizationRequirement
{
    public TeamRole? AtLeast { get; } = atLeast;
    public bool Manage { get; } = manage;
}

/// <summary>The reason that turns a refusal into a 404: the caller may not even know the team exists.</summary>
public sealed class TeamNotVisible(IAuthorizationHandler handler) : AuthorizationFailureReason(handler, "The team does not exist or is not visible.");

public static class TeamPolicies
{
    public const string View = "team:view";
    public const string Contribute = "team:contribute";
    public const string Approve = "team:approve";
    public const string Manage = "team:manage";
    public const string PlatformAdmin = "platform:admin";
    public const string Auditor = "platform:audit";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(View, p => p.AddRequirements(new TeamAccessRequirement(null, false)));
        options.AddPolicy(Contribute, p => p.AddRequirements(new TeamAccessRequirement(TeamRole.Contributor, false)));
        options.AddPolicy(Approve, p => p.AddRequirements(new TeamAccessRequirement(TeamRole.Approver, false)));
        options.AddPolicy(Manage, p => p.AddRequirements(new TeamAccessRequirement(null, true)));
        options.AddPolicy(PlatformAdmin, p => p.AddRequirements(new GlobalRoleRequirement(GlobalRole.PlatformAdmin)));
        options.AddPolicy(Auditor, p => p.AddRequirements(new GlobalRoleRequirement(GlobalRole.Auditor, GlobalRole.PlatformAdmin)));
    }
}

public sealed class GlobalRoleRequirement(params GlobalRole[] anyOf) : IAuthorizationRequirement
{
    public IReadOnlyList<GlobalRole> AnyOf { get; } = anyOf;
}

/// <summary>Checks team roles against the database on every request and every interactive route change.</summary>
public sealed class TeamAccessHandler(CallerResolver resolver, IHttpContextAccessor http) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var pending = context.PendingRequirements.ToList();
        if (!pending.Any(r => r is TeamAccessRequirement or GlobalRoleRequirement))
            return;
        var caller = await resolver.ResolveAsync(context.User, null, null);
        foreach (var requirement in pending)
        {
            switch (requirement)
            {
                case GlobalRoleRequirement global:
                    if (global.AnyOf.Any(caller.GlobalRoles.Contains))
                        context.Succeed(global);
                    break;
                case TeamAccessRequirement team:
                    var slug = TeamSlugOf(context.Resource);
                    if (slug is null || !caller.CanView(slug))
                        context.Fail(new TeamNotVisible(this));
                    else if ((team.Manage && !caller.CanManageTeam(slug)) || (team.AtLeast is { } min && !caller.Has(slug, min)))
                        context.Fail();
                    else
                        context.Succeed(team);
                    break;
            }
        }
    }

    private string? TeamSlugOf(object? resource) => resource switch
    {
        HttpContext ctx => ctx.GetRouteValue("team") as string,
        // Page parameters are spelled {Team}; interactive route values keep that spelling.
        Microsoft.AspNetCore.Components.RouteData route => route.RouteValues
            .FirstOrDefault(kv => string.Equals(kv.Key, "team", StringComparison.OrdinalIgnoreCase)).Value as string,
        _ => http.HttpContext?.GetRouteValue("team") as string,
    };
}

/// <summary>Answers 404 rather than 403 when the team itself is not visible, and problem details on the API.</summary>
public sealed class PortalAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        var isApi = context.Request.Path.StartsWithSegments("/api");
        if (result.Forbidden && result.AuthorizationFailure?.FailureReasons.OfType<TeamNotVisible>().Any() == true)
        {
            if (isApi)
                await ApiProblems.Write(context, TeamErrors.NotFound(context.GetRouteValue("team") as string ?? ""));
            else
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (result.Forbidden && !isApi)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await _default.HandleAsync(next, context, policy, result);
    }
}
