using System.Threading.RateLimiting;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Security;

/// <summary>
/// Budgets per caller. The limiter runs after authentication, so an API budget belongs to the resolved
/// token or user, never to the header's spelling; anonymous traffic (bad tokens included) shares one
/// budget per client address.
/// </summary>
public static class RateLimitSetup
{
    public const string ApiPolicy = "api";
    public const string SignInPolicy = "sign-in";

    public static void AddPortalRateLimits(this IServiceCollection services, RateLimitSettings limits)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ApiPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(PrincipalKey(ctx),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.ApiPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(SignInPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(AddressKey(ctx),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
    }

    private static string PrincipalKey(HttpContext ctx) =>
        ctx.User.GetApiToken() is { } token ? $"token:{token.TokenId}"
        : ctx.User.GetUserId() is { } userId ? $"user:{userId}"
        : AddressKey(ctx);

    private static string AddressKey(HttpContext ctx) => $"address:{ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
}
