using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Security;

/// <summary>
/// Budgets per caller. The API limiter runs after authentication, so a budget belongs to the resolved
/// token or user, never to the header's spelling; anonymous traffic (bad tokens included) shares one
/// budget per client address. Sign-in paths are limited per address before authentication, because the
/// OIDC callback and the development IdP's protocol endpoints answer inside the authentication middleware.
/// </summary>
public static class RateLimitSetup
{
    public const string ApiPolicy = "api";

    public static void AddPortalRateLimits(this IServiceCollection services, RateLimitSettings limits) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ApiPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(PrincipalKey(ctx),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.ApiPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });

    public static void UseSignInRateLimits(this IApplicationBuilder app, RateLimitSettings limits)
    {
        var options = new RateLimiterOptions
        {
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => RateLimitPartition.GetFixedWindowLimiter(AddressKey(ctx),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInPerMinute, Window = TimeSpan.FromMinutes(1) })),
        };
        app.UseWhen(IsSignIn, signIn => signIn.UseRateLimiter(options));
    }

    private static bool IsSignIn(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        return path.StartsWithSegments("/account") || path.StartsWithSegments("/signin-oidc") || path.StartsWithSegments("/signout-callback-oidc")
            || path.StartsWithSegments("/connect") || path.StartsWithSegments("/dev-idp");
    }

    private static string PrincipalKey(HttpContext ctx) =>
        ctx.User.GetApiToken() is { } token ? $"token:{token.TokenId}"
        : ctx.User.GetUserId() is { } userId ? $"user:{userId}"
        : AddressKey(ctx);

    private static string AddressKey(HttpContext ctx) => $"address:{ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
}
