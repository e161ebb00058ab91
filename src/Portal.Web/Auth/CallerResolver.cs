using System.Security.Claims;
using Portal.Core.Teams;

namespace Portal.Web.Auth;

/// <summary>Turns an authenticated principal into current roles: read from the database for people, from the token for pipelines.</summary>
public sealed class CallerResolver(AccessService access)
{
    public async Task<CallerAccess> ResolveAsync(ClaimsPrincipal principal, string? clientAddress, string? correlationId, CancellationToken ct = default)
    {
        var actor = principal.ToActor(clientAddress, correlationId);
        if (principal.GetApiToken() is { } token)
            return AccessService.ForToken(token, actor);
        if (principal.GetUserId() is { } userId)
            return await access.ForUserAsync(userId, actor, ct) ?? CallerAccess.Anonymous;
        return CallerAccess.Anonymous;
    }
}
