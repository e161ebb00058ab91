using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portal.Core.Teams;
using Portal.Web.Api;

namespace Portal.Web.Auth;

/// <summary>Bearer authentication with portal API tokens (service principals); refusals are problem details.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    private const string FailureCodeKey = "portal.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            Context.Items[FailureCodeKey] = new Core.Common.Error("token.invalid", "Use 'Authorization: Bearer <token>'.", Core.Common.ErrorKind.Unauthorized);
            return AuthenticateResult.Fail("Unsupported authorization scheme.");
        }
        var result = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (!result.IsSuccess)
        {
            Context.Items[FailureCodeKey] = result.Error;
            return AuthenticateResult.Fail(result.Error!.Message);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(PortalClaims.ForToken(result.Value, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var error = Context.Items[FailureCodeKey] as Core.Common.Error
            ?? new Core.Common.Error("auth.required", "This endpoint needs an API token: 'Authorization: Bearer <token>'.", Core.Common.ErrorKind.Unauthorized);
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.Write(Context, error);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Write(Context, TeamErrors.Forbidden("call this endpoint"));
}
