using Microsoft.AspNetCore.Components.Authorization;
using Portal.Core.Common;
using Portal.Core.Security;
using Portal.Core.Teams;

namespace Portal.Web.Auth;

/// <summary>
/// The signed-in person as seen by a page in a Blazor circuit. Roles are re-read at every call, so
/// a page never acts on a role that was revoked after it opened.
/// </summary>
public sealed class PageCaller(AuthenticationStateProvider authState, CallerResolver resolver, IHttpContextAccessor http, SecurityEventLog events)
{
    // The circuit outlives its first request: keep the address that opened it for the audit trail.
    private readonly string? _clientAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public async Task<CallerAccess> GetAsync(CancellationToken ct = default)
    {
        var state = await authState.GetAuthenticationStateAsync();
        return await resolver.ResolveAsync(state.User, _clientAddress, NewCorrelationId(), ct);
    }

    /// <summary>A page action the services refused for lack of rights is a security event, as a 403 is on the API.</summary>
    public async Task RecordIfRefusedAsync(Error? error, string action, string resource)
    {
        if (error is not { Kind: ErrorKind.Forbidden })
            return;
        var state = await authState.GetAuthenticationStateAsync();
        await events.RecordDeniedAsync(state.User.ToActor(_clientAddress, NewCorrelationId()), action, resource, $"{error.Code}: {error.Message}");
    }

    private static string NewCorrelationId() => "ui-" + Guid.NewGuid().ToString("N")[..16];
}
