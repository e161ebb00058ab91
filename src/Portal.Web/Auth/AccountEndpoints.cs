using Microsoft.AspNetCore.Authentication;

namespace Portal.Web.Auth;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription();
        group.MapGet("/sign-in", (HttpContext ctx, string? returnUrl) =>
        {
            var target = IsLocal(returnUrl) ? returnUrl! : "/";
            return ctx.User.Identity?.IsAuthenticated == true
                ? Results.LocalRedirect(target)
                : Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [AuthenticationSetup.OidcScheme]);
        }).AllowAnonymous();

        // POST with an antiforgery token: a third-party page cannot sign people out.
        group.MapPost("/sign-out", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/account/signed-out" },
            [AuthenticationSetup.CookieScheme, AuthenticationSetup.OidcScheme]));
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
