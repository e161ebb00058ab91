using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Core.Common;
using Portal.Core.Security;

namespace Portal.Web.Auth;

/// <summary>
/// Refused sign-ins: each is recorded as a security event and the browser is sent to the error page
/// with a code; the page shows the portal's own message for it, never text from the URL or the IdP.
/// </summary>
public static class SignInFailures
{
    public const string Disabled = "user.disabled";
    public const string Expired = "sign-in.expired";
    public const string IdpError = "sign-in.idp-error";
    public const string Failed = "sign-in.failed";
    private const string RefusalKey = "portal.sign-in.refusal";

    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        [Disabled] = "Your account is disabled in the portal. Ask a platform administrator to enable it.",
        [Expired] = "The sign-in took too long or was started in another tab. Please try again.",
        [IdpError] = "The identity provider refused the sign-in or reported an error.",
        [Failed] = "The identity provider did not confirm who you are.",
    };

    public static string MessageFor(string? code) => code is not null && Messages.TryGetValue(code, out var message) ? message : Messages[Failed];

    /// <summary>Called when the portal itself refuses a person the IdP confirmed (e.g. a disabled account).</summary>
    public static void Refused(HttpContext context, Actor actor, Error error) => context.Items[RefusalKey] = (actor, error);

    public static async Task HandleRemoteFailureAsync(RemoteFailureContext ctx)
    {
        ctx.HandleResponse();
        var http = ctx.HttpContext;
        var (actor, code, reason) = http.Items[RefusalKey] is (Actor refusedActor, Error error)
            ? (refusedActor, Messages.ContainsKey(error.Code) ? error.Code : Failed, error.Message)
            : (new Actor(ActorKind.User, "anonymous", "anonymous"), Classify(ctx.Failure), ctx.Failure?.Message ?? "unknown");
        actor = actor with { ClientAddress = http.Connection.RemoteIpAddress?.ToString(), CorrelationId = http.TraceIdentifier };
        await http.RequestServices.GetRequiredService<SecurityEventLog>().RecordDeniedAsync(actor, "sign-in", http.Request.Path, $"{code}: {reason}", http.RequestAborted);
        ctx.Response.Redirect("/account/sign-in-failed?code=" + Uri.EscapeDataString(code));
    }

    // A lost or replayed state (correlation cookie, protected state) means the flow began elsewhere or expired.
    private static string Classify(Exception? failure) => failure switch
    {
        OpenIdConnectProtocolException => IdpError,
        { Message: var m } when m.Contains("Correlation failed", StringComparison.Ordinal) || m.Contains("message.State", StringComparison.Ordinal) => Expired,
        _ => Failed,
    };
}
