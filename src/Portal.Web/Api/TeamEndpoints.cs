using Portal.Core.Teams;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public sealed record MeResponse(string Kind, string Name, IReadOnlyList<TeamRoleResponse> Teams, IReadOnlyList<string> GlobalRoles);
public sealed record TeamRoleResponse(string Team, string Role);
public sealed record TeamResponse(string Slug, string Name, string Description, string? MyRole);
public sealed record WorkspaceResponse(TeamResponse Team, int MemberCount, int ActiveTokenCount, IReadOnlyList<ActivityItem> RecentActivity);
public sealed record MemberResponse(Guid UserId, string Name, string? Email, string EffectiveRole, IReadOnlyList<MemberRoleResponse> Roles);
public sealed record MemberRoleResponse(Guid MembershipId, string Role, string Source, string SourceDetail, DateTimeOffset GrantedAt);
public sealed record GrantRequest(string Email, TeamRole Role);

public static class TeamEndpoints
{
    public static void MapTeamEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me", GetMeAsync).WithName("GetMe").WithTags("Identity")
            .WithSummary("Who the token belongs to: its team and role.");
        var teams = api.MapGroup("/teams").WithTags("Teams");
        teams.MapGet("", ListAsync).WithName("ListTeams").WithSummary("Teams visible to the caller.");
        teams.MapGet("/{team}", GetAsync).WithName("GetTeam")
            .WithSummary("A team workspace: counts and recent activity.");
        teams.MapGet("/{team}/members", ListMembersAsync).WithName("ListMembers")
            .WithSummary("Members, their roles and where each role comes from.");
        teams.MapPost("/{team}/members", GrantAsync).WithName("GrantMembership")
            .WithSummary("Grant a local role to a person who has signed in before.");
    }

    private static async Task<IResult> GetMeAsync(HttpContext ctx, CallerResolver resolver)
    {
        var caller = await resolver.ResolveAsync(ctx.User, ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);
        return Results.Ok(new MeResponse(caller.Actor.Kind.ToString(), caller.Actor.Name,
            caller.Teams.Values.Select(t => new TeamRoleResponse(t.Slug, t.Role.ToString())).ToList(),
            caller.GlobalRoles.Select(r => r.ToString()).ToList()));
    }

    private static async Task<IResult> ListAsync(HttpContext ctx, CallerResolver resolver, TeamService teams)
    {
        var caller = await resolver.ResolveAsync(ctx.User, ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);
        var list = await teams.ListVisibleAsync(caller, ctx.RequestAborted);
        return Results.Ok(list.Select(ToResponse).ToList());
    }

    private static async Task<IResult> GetAsync(string team, HttpContext ctx, CallerResolver resolver, TeamService teams)
    {
        var caller = await resolver.ResolveAsync(ctx.User, ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);
        var result = await teams.GetWorkspaceAsync(caller, team, ctx.RequestAborted);
        return ApiRequest.Answer(result, v => Results.Ok(new WorkspaceResponse(ToResponse(v.Team), v.MemberCount, v.ActiveTokenCount, v.RecentActivity)));
    }

    private static async Task<IResult> ListMembersAsync(string team, HttpContext ctx, CallerResolver resolver, MembershipService members)
    {
        var caller = await resolver.ResolveAsync(ctx.User, ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);
        var result = await members.ListAsync(caller, team, ctx.RequestAborted);
        return ApiRequest.Answer(result, v => Results.Ok(v.Select(m => new MemberResponse(m.UserId, m.Name, m.Email, m.EffectiveRole.ToString(),
                m.Roles.Select(r => new MemberRoleResponse(r.MembershipId, r.Role.ToString(), r.Source.ToString(), r.SourceDetail, r.GrantedAt)).ToList())).ToList()));
    }

    private static async Task<IResult> GrantAsync(string team, GrantRequest request, HttpContext ctx, CallerResolver resolver, MembershipService members)
    {
        var caller = await resolver.ResolveAsync(ctx.User, ClientAddress(ctx), ctx.TraceIdentifier, ctx.RequestAborted);
        var result = await members.GrantAsync(caller, team, request.Email ?? "", request.Role, ctx.RequestAborted);
        return ApiRequest.Answer(result, v => Results.Created(ApiLinks.Members(team), new MemberRoleResponse(v.MembershipId, v.Role.ToString(),
                v.Source.ToString(), v.SourceDetail, v.GrantedAt)));
    }

    private static TeamResponse ToResponse(TeamSummary t) => new(t.Slug, t.Name, t.Description, t.MyRole?.ToString());

    internal static string? ClientAddress(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString();
}
