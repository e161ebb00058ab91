using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Portal.Web.Auth;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription();
        group.MapGet("/sign-in", (HttpContext ctx, string? returnUrl) =>
        {
            var target = ReturnUrl.LocalOrHome(returnUrl);
            return ctx.User.Identity?.IsAuthenticated == true
                ? Results.LocalRedirect(target)
                : Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [AuthenticationSetup.OidcScheme]);
        }).AllowAnonymous();

        // POST with an antiforgery token: a third-party page cannot sign people out. The endpoint binds no
        // form, so the antiforgery middleware would only note a bad token: the check is made here.
        group.MapPost("/sign-out", async (HttpContext ctx, IAntiforgery antiforgery) =>
            await antiforgery.IsRequestValidAsync(ctx)
                ? Results.SignOut(new AuthenticationProperties { RedirectUri = "/account/signed-out" },
                    [AuthenticationSetup.CookieScheme, AuthenticationSetup.OidcScheme])
                : Results.BadRequest());
    }
}
