using Portal.Core.GoldenChecks;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

/// <summary>
/// The external runner's round trip: claim the oldest waiting run (the answer holds a one-time ticket),
/// fetch its files by digest and post its figures, both with the ticket in <c>X-Run-Ticket</c>.
/// </summary>
internal static class ExternalRunnerEndpoints
{
    public const string TicketHeader = "X-Run-Ticket";
    private const string RunPath = "/teams/{team}/golden-runs/{run:guid}";

    public static void MapExternalRunnerEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/teams/{team}/golden-runs/claim", ClaimAsync).WithName("ClaimGoldenRun")
            .WithSummary("Claim the oldest golden-check run waiting for an external runner; the ticket in the answer is shown once.");
        group.MapGet(RunPath + "/files/{sha256}", DownloadAsync).WithName("DownloadGoldenRunFile");
        group.MapPost(RunPath + "/results", CompleteAsync).WithName("PostGoldenRunResults");
    }

    private static async Task<IResult> ClaimAsync(string team, HttpContext ctx, CallerResolver resolver, ExternalRunService service) =>
        Answer(await service.ClaimAsync(await CallerAsync(ctx, resolver), team, ctx.RequestAborted));

    private static async Task<IResult> DownloadAsync(string team, Guid run, string sha256, HttpContext ctx, CallerResolver resolver, ExternalRunService service) =>
        Answer(await service.OpenAsync(await CallerAsync(ctx, resolver), team, run, Ticket(ctx), sha256, ctx.RequestAborted),
            opened => Results.File(opened.Content, "application/octet-stream", opened.File.Path.Split('/')[^1]));

    private static async Task<IResult> CompleteAsync(string team, Guid run, ExternalResults body, HttpContext ctx, CallerResolver resolver,
        ExternalRunService service) =>
        Answer(await service.CompleteAsync(await CallerAsync(ctx, resolver), team, run, Ticket(ctx), body, ctx.RequestAborted));

    private static string Ticket(HttpContext ctx) => ctx.Request.Headers[TicketHeader].ToString();
}
