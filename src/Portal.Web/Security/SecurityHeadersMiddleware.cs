namespace Portal.Web.Security;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows inline styles because
/// MudBlazor positions popovers and sets colours through style attributes; scripts come only from the
/// portal itself, except on the two third-party pages (API reference, jobs dashboard) that need inline script.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, string formActionSources)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var scripts = path.StartsWithSegments("/api/reference") || path.StartsWithSegments("/jobs")
            ? "'self' 'unsafe-inline'"
            : "'self'";
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            $"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self' {formActionSources}; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers.XFrameOptions = "DENY";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next(context);
    }
}
