using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Web.DevIdentity;

/// <summary>The development identity provider's own pages: pick a demo user, authorize, sign out.</summary>
public static class DevIdentityEndpoints
{
    public static void MapDevIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/dev-idp/login", LoginPage);
        group.MapPost("/dev-idp/login", Login);
        group.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync).DisableAntiforgery();
        group.MapMethods("/connect/logout", ["GET", "POST"], (Delegate)LogoutAsync).DisableAntiforgery();
    }

    private static IResult LoginPage(HttpContext ctx, IAntiforgery antiforgery, string? returnUrl)
    {
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Development sign-in</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font-family:Roboto,Segoe UI,Helvetica,Arial,sans-serif;background:#f4f5f7;margin:0;color:#1f2937}
            main{max-width:720px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:32px}
            h1{font-size:22px;margin:0 0 4px} p.lead{color:#6b7280;margin:0 0 24px}
            .warn{background:#fff7e6;border:1px solid #f5c26b;border-radius:6px;padding:8px 12px;font-size:14px;margin-bottom:20px}
            form{margin:0} ul{list-style:none;padding:0;margin:0;display:grid;gap:8px}
            button{width:100%;text-align:left;display:flex;justify-content:space-between;align-items:center;gap:12px;background:#fff;
              border:1px solid #d1d5db;border-radius:6px;padding:12px 16px;font-size:15px;cursor:pointer}
            button:hover,button:focus{border-color:#594ae2;background:#f5f3ff;outline:none}
            .who{font-weight:600} .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap} .mail{color:#6b7280;font-size:13px} .role{font-size:13px;color:#4338ca;white-space:nowrap}
            </style></head><body><main>
            <h1>Development identity provider</h1>
            <p class="lead">Choose a demo user to sign in to the AI Asset Portal.</p>
            <div class="warn">This built-in OpenID Connect provider exists for local use and tests only; production uses your corporate IdP.</div>
            <ul>
            """);
        foreach (var user in DemoUsers.All)
        {
            html.Append("<li><form method=\"post\" action=\"/dev-idp/login\">")
                .Append($"<input type=\"hidden\" name=\"{Enc(tokens.FormFieldName)}\" value=\"{Enc(tokens.RequestToken ?? "")}\">")
                .Append($"<input type=\"hidden\" name=\"returnUrl\" value=\"{Enc(returnUrl ?? "")}\">")
                .Append($"<input type=\"hidden\" name=\"subject\" value=\"{Enc(user.Subject)}\">")
                .Append($"<button type=\"submit\"><span><span class=\"sr\">Sign in as </span><span class=\"who\">{Enc(user.Name)}</span><br><span class=\"mail\">{Enc(user.Email)}</span></span>")
                .Append($"<span class=\"role\">{Enc(user.RoleSummary)}</span></button></form></li>");
        }
        html.Append("</ul></main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static async Task<IResult> Login(HttpContext ctx, [FromForm] string subject, [FromForm] string? returnUrl)
    {
        var user = DemoUsers.Find(subject);
        if (user is null)
            return Results.BadRequest("Unknown demo user.");
        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Subject)], DevIdentityProvider.CookieScheme);
        await ctx.SignInAsync(DevIdentityProvider.CookieScheme, new ClaimsPrincipal(identity));
        // Only the authorization endpoint is a valid place to return to: no open redirect.
        var target = Auth.ReturnUrl.LocalOrHome(returnUrl);
        return Results.Redirect(target.StartsWith("/connect/authorize?", StringComparison.Ordinal) ? target : "/");
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext ctx)
    {
        var request = ctx.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await ctx.AuthenticateAsync(DevIdentityProvider.CookieScheme);
        var user = session.Succeeded ? DemoUsers.Find(session.Principal.FindFirst(Claims.Subject)?.Value) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            var query = ctx.Request.HasFormContentType ? ctx.Request.Form.ToList() : ctx.Request.Query.ToList();
            return Results.Challenge(new AuthenticationProperties
            {
                RedirectUri = ctx.Request.PathBase + ctx.Request.Path + QueryString.Create(query.Where(p => p.Key != "prompt")),
            }, [DevIdentityProvider.CookieScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims("groups", [.. user.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email or "groups" => [Destinations.IdentityToken, Destinations.AccessToken],
            _ => [Destinations.AccessToken, Destinations.IdentityToken],
        });
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> LogoutAsync(HttpContext ctx)
    {
        await ctx.SignOutAsync(DevIdentityProvider.CookieScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static string Enc(string value) => WebUtility.HtmlEncode(value);
}
