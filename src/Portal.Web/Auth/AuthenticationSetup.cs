using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Portal.Core.Teams;
using Portal.Web.Hosting;

namespace Portal.Web.Auth;

public static class AuthenticationSetup
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    private const string SelectorScheme = "portal";

    public static void AddPortalAuthentication(this IServiceCollection services, PortalSettings settings, IHostEnvironment env)
    {
        var publicUrl = new Uri(settings.Portal.PublicUrl);
        var embedded = settings.Sso.Mode == SsoMode.Embedded;

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
            })
            // The API takes bearer tokens only, so a browser's cookie can never be replayed against it (no CSRF surface).
            .AddPolicyScheme(SelectorScheme, "Cookie or API token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Path.StartsWithSegments("/api/v1") ? ApiTokenAuthenticationHandler.SchemeName : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = ".Portal.Session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = publicUrl.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.ForwardChallenge = OidcScheme;
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddOpenIdConnect(OidcScheme, o =>
            {
                o.SignInScheme = CookieScheme;
                o.Authority = embedded ? publicUrl.GetLeftPart(UriPartial.Authority) + "/" : settings.Sso.Authority;
                o.ClientId = embedded ? DevIdentity.DevIdentityProvider.ClientId : settings.Sso.ClientId;
                o.ClientSecret = embedded ? DevIdentity.DevIdentityProvider.ClientSecret : settings.Sso.ClientSecret;
                o.ResponseType = "code";
                o.ResponseMode = "query";
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.Scope.Clear();
                foreach (var scope in settings.Sso.Scopes)
                    o.Scope.Add(scope);
                o.TokenValidationParameters.NameClaimType = "name";
                // Plain http is tolerated only for the built-in provider on this machine's loopback.
                o.RequireHttpsMetadata = !(embedded && publicUrl.IsLoopback);
                o.CallbackPath = "/signin-oidc";
                o.SignedOutCallbackPath = "/signout-callback-oidc";
                o.SignedOutRedirectUri = "/account/signed-out";
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnTokenValidated = ctx => OnTokenValidatedAsync(ctx, settings.Sso);
                o.Events.OnRemoteFailure = SignInFailures.HandleRemoteFailureAsync;
            });

        services.AddAuthorization(o =>
        {
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            PortalPolicies.Add(o);
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, PortalAuthorizationResultHandler>();
        services.AddScoped<IAuthorizationHandler, PortalActionHandler>();
        services.AddScoped<CallerResolver>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingPortalAuthenticationStateProvider>();
        services.AddCircuitAccessRevalidation();
    }

    /// <summary>Every request: a disabled or removed user loses the session; a changed role stamp refreshes the cookie.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext ctx)
    {
        if (ctx.Principal?.GetUserId() is not { } userId)
            return;
        var stamp = await ctx.HttpContext.RequestServices.GetRequiredService<AccessService>().SecurityStampAsync(userId, ctx.HttpContext.RequestAborted);
        if (stamp is null)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieScheme);
            return;
        }
        if (ctx.Principal.FindFirst(PortalClaims.SecurityStamp)?.Value != stamp)
        {
            var identity = (ClaimsIdentity)ctx.Principal.Identity!;
            identity.RemoveClaim(identity.FindFirst(PortalClaims.SecurityStamp));
            identity.AddClaim(new Claim(PortalClaims.SecurityStamp, stamp));
            ctx.ReplacePrincipal(ctx.Principal);
            ctx.ShouldRenew = true;
        }
    }

    private static async Task OnTokenValidatedAsync(TokenValidatedContext ctx, SsoOptions sso)
    {
        var idp = ctx.Principal!;
        var issuer = idp.FindFirst("iss")?.Value ?? "";
        var subject = idp.FindFirst("sub")?.Value ?? "";
        var name = idp.FindFirst("name")?.Value ?? idp.FindFirst("preferred_username")?.Value ?? subject;
        var email = idp.FindFirst("email")?.Value;
        var groups = GroupsOf(idp, sso.GroupsClaim);

        var signIn = ctx.HttpContext.RequestServices.GetRequiredService<SignInService>();
        var result = await signIn.SignInAsync(new SignInIdentity(issuer, subject, name, email, groups),
            ctx.HttpContext.Connection.RemoteIpAddress?.ToString(), ctx.HttpContext.TraceIdentifier, ctx.HttpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            SignInFailures.Refused(ctx.HttpContext, new Core.Common.Actor(Core.Common.ActorKind.User, subject, name), result.Error!);
            ctx.Fail(result.Error!.Message);
            return;
        }
        var claims = new List<Claim>
        {
            new(PortalClaims.UserId, result.Value.UserId.ToString()),
            new(PortalClaims.Name, result.Value.Name),
            new(PortalClaims.SecurityStamp, result.Value.SecurityStamp),
            new("iss", issuer),
            new("sub", subject),
        };
        if (email is not null)
            claims.Add(new Claim(PortalClaims.Email, email));
        ctx.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme, PortalClaims.Name, null));
    }

    /// <summary>IdPs send one group as a string and several as an array (or a JSON array in one claim): accept all three.</summary>
    internal static IReadOnlyList<string> GroupsOf(ClaimsPrincipal principal, string claimType)
    {
        var groups = new List<string>();
        foreach (var claim in principal.FindAll(claimType))
        {
            var value = claim.Value.Trim();
            if (value.StartsWith('['))
            {
                try
                {
                    groups.AddRange(JsonSerializer.Deserialize<string[]>(value) ?? []);
                    continue;
                }
                catch (JsonException)
                {
                    // Not a JSON array after all: keep the literal value as a group name.
                }
            }
            groups.Add(value);
        }
        return groups.Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }
}

/// <summary>
/// Re-checks an open Blazor circuit every minute, and at once when <see cref="OpenCircuits"/> is told of
/// a change: a disabled user, or one whose roles changed, is signed out of the circuit and the page reloads with current roles.
/// </summary>
public sealed class RevalidatingPortalAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, PortalSettings settings)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(settings.Security.SessionRevalidationSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        if (state.User.GetUserId() is not { } userId)
            return true;
        await using var scope = scopes.CreateAsyncScope();
        var stamp = await scope.ServiceProvider.GetRequiredService<AccessService>().SecurityStampAsync(userId, ct);
        return stamp is not null && stamp == state.User.FindFirst(PortalClaims.SecurityStamp)?.Value;
    }

    /// <summary>Re-checks now rather than at the next interval; an invalid state signs the circuit out.</summary>
    public async Task RevalidateNowAsync(CancellationToken ct)
    {
        if (!await ValidateAuthenticationStateAsync(await GetAuthenticationStateAsync(), ct))
            SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
    }
}
