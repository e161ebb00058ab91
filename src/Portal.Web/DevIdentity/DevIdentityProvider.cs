using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using Portal.Core.Data;
using Portal.Web.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Web.DevIdentity;

/// <summary>
/// A real OpenID Connect provider (OpenIddict) hosted inside the portal when <c>Sso:Mode</c> is
/// Embedded, so the embedded default and the tests sign in through the same code flow as production.
/// </summary>
public static class DevIdentityProvider
{
    public const string ClientId = "portal-web";
    public const string CookieScheme = "DevIdp";
    // A new secret every start: nothing outside this process ever needs it.
    public static readonly string ClientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public static void AddDevIdentityProvider(this IServiceCollection services, PortalSettings settings)
    {
        var issuer = new Uri(new Uri(settings.Portal.PublicUrl).GetLeftPart(UriPartial.Authority) + "/");
        services.AddAuthentication().AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = ".Portal.DevIdp";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/dev-idp/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<PortalDbContext>())
            .AddServer(o =>
            {
                o.SetIssuer(issuer);
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, "groups");
                o.RegisterClaims(Claims.Name, Claims.Email, "groups");
                // Keys live only as long as the process: the portal keeps its own session cookie after sign-in.
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });
    }

    /// <summary>Registers (again, at every start) the portal as a confidential client with its redirect URIs.</summary>
    public static async Task RegisterPortalClientAsync(IServiceProvider services, PortalSettings settings, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await manager.FindByClientIdAsync(ClientId, ct) is { } existing)
            await manager.DeleteAsync(existing, ct);
        var root = settings.Portal.PublicUrl.TrimEnd('/');
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "AI Asset Portal",
            RedirectUris = { new Uri(root + "/signin-oidc") },
            PostLogoutRedirectUris = { new Uri(root + "/signout-callback-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Prefixes.Scope + "groups",
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        }, ct);
    }
}
