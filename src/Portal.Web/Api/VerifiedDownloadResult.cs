using Portal.Core.Artifacts;
using Portal.Core.Assets;

namespace Portal.Web.Api;

/// <summary>
/// Sends a download whose content verifies itself (ADR-007). When the bytes turn out not to match their
/// digest, a response not yet started becomes artifact.corrupt; one under way is aborted, so the client
/// never holds a complete body under the right ETag.
/// </summary>
public sealed class VerifiedDownloadResult(IResult file) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            await file.ExecuteAsync(httpContext);
        }
        catch (BlobIntegrityException)
        {
            if (httpContext.Response.HasStarted)
            {
                httpContext.Abort();
                return;
            }
            httpContext.Response.Clear();
            await ApiProblems.Write(httpContext, RegistryErrors.BlobCorrupt);
        }
    }
}
