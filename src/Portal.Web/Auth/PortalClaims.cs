using System.Security.Claims;
using Portal.Core.Common;
using Portal.Core.Teams;

namespace Portal.Web.Auth;

/// <summary>The claims the portal keeps in its own cookie or derives from an API token. Roles are never cached in them.</summary>
public static class PortalClaims
{
    public const string UserId = "portal_uid";
    public const string Name = "name";
    public const string Email = "email";
    public const string SecurityStamp = "portal_stamp";
    public const string TokenId = "portal_token";
    public const string TeamId = "portal_team_id";
    public const string TeamSlug = "portal_team";
    public const string TeamName = "portal_team_name";
    public const string TeamRole = "portal_team_role";
    public const string MayRecordEvidence = "portal_evidence";
    public const string TokenCreatedBy = "portal_token_creator";

    public static Guid? GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(UserId)?.Value, out var id) ? id : null;

    public static ApiTokenPrincipal? GetApiToken(this ClaimsPrincipal principal)
    {
        if (!Guid.TryParse(principal.FindFirst(TokenId)?.Value, out var tokenId)
            || !Guid.TryParse(principal.FindFirst(TeamId)?.Value, out var teamId)
            || !Enum.TryParse<TeamRole>(principal.FindFirst(TeamRole)?.Value, out var role))
            return null;
        return new ApiTokenPrincipal(tokenId, principal.FindFirst(Name)?.Value ?? "", teamId,
            principal.FindFirst(TeamSlug)?.Value ?? "", principal.FindFirst(TeamName)?.Value ?? "", role,
            principal.HasClaim(MayRecordEvidence, "true"),
            Guid.TryParse(principal.FindFirst(TokenCreatedBy)?.Value, out var creator) ? creator : Guid.Empty);
    }

    public static ClaimsPrincipal ForToken(ApiTokenPrincipal token, string scheme) => new(new ClaimsIdentity(
    [
        new Claim(TokenId, token.TokenId.ToString()),
        new Claim(Name, token.Name),
        new Claim(TeamId, token.TeamId.ToString()),
        new Claim(TeamSlug, token.TeamSlug),
        new Claim(TeamName, token.TeamName),
        new Claim(TeamRole, token.Role.ToString()),
        new Claim(MayRecordEvidence, token.MayRecordEvidence ? "true" : "false"),
        new Claim(TokenCreatedBy, token.CreatedByUserId.ToString()),
    ], scheme, Name, null));

    public static Actor ToActor(this ClaimsPrincipal principal, string? clientAddress, string? correlationId)
    {
        var actor = principal.GetApiToken() is { } token
            ? token.Actor
            : principal.GetUserId() is { } userId
                ? Actor.ForUser(userId, principal.FindFirst(Name)?.Value ?? userId.ToString())
                : CallerAccess.Anonymous.Actor;
        return actor with { ClientAddress = clientAddress, CorrelationId = correlationId };
    }
}
