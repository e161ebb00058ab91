using Portal.Core.Common;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

/// <summary>An asset's golden checks: define, run, read results; a team's job runs.</summary>
internal static class GoldenCheckEndpoints
{
    private const string ChecksPath = RegistryEndpoints.AssetPath + "/golden-checks";

    public sealed record StartRunBody(string Version);

    public static void MapGoldenCheckEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Golden checks");
        group.MapGet(ChecksPath, ListAsync).WithName("ListGoldenChecks");
        group.MapPut(ChecksPath + "/{check}", SaveAsync).WithName("SaveGoldenCheck")
            .WithSummary("Create or change a golden check; If-Match with its revision guards a change.");
        group.MapPost(ChecksPath + "/{check}/runs", StartAsync).WithName("StartGoldenCheck")
            .WithSummary("Run a check on a Ready version now; Idempotency-Key makes a retry return the same run.");
        group.MapGet(ChecksPath + "/results", HistoryAsync).WithName("ListGoldenCheckResults");
        group.MapGet(RegistryEndpoints.VersionPath + "/golden-checks", VersionResultsAsync).WithName("ListVersionGoldenCheckResults");
        group.MapGet("/teams/{team}/jobs", JobsAsync).WithName("ListTeamJobs");
        group.MapExternalRunnerEndpoints();
    }

    private static async Task<IResult> ListAsync(string team, string asset, HttpContext ctx, CallerResolver resolver, GoldenCheckService service) =>
        Answer(await service.ListAsync(await CallerAsync(ctx, resolver), team, asset, ctx.RequestAborted));

    private static async Task<IResult> SaveAsync(string team, string asset, string check, GoldenCheckInput body, HttpContext ctx, CallerResolver resolver,
        GoldenCheckService service) =>
        Answer(await service.SaveAsync(await CallerAsync(ctx, resolver), team, asset, body with { Name = check }, IfMatch(ctx), ctx.RequestAborted),
            view => WithETag(ctx, view.Revision, view));

    private static async Task<IResult> StartAsync(string team, string asset, string check, StartRunBody body, HttpContext ctx, CallerResolver resolver,
        GoldenCheckService service) =>
        Answer(await service.StartAsync(await CallerAsync(ctx, resolver), team, asset, check, body.Version ?? "", IdempotencyKey(ctx), ctx.RequestAborted),
            run => Results.Accepted($"/api/v1/teams/{team}/jobs?kind={run.Kind}", run));

    private static async Task<IResult> HistoryAsync(string team, string asset, string? check, HttpContext ctx, CallerResolver resolver, GoldenCheckService service)
    {
        if (check is not null && !Slug.IsValid(check))
            return Paging.Invalid(new Dictionary<string, string[]> { ["check"] = ["A golden check's name."] }).ToResult();
        return Answer(await service.HistoryAsync(await CallerAsync(ctx, resolver), team, asset, check, ctx.RequestAborted));
    }

    private static async Task<IResult> VersionResultsAsync(string team, string asset, string version, HttpContext ctx, CallerResolver resolver,
        GoldenCheckService service) =>
        Answer(await service.VersionResultsAsync(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted));

    private static async Task<IResult> JobsAsync(string team, string? kind, string? state, int? skip, int? take, HttpContext ctx, CallerResolver resolver,
        JobRunService service)
    {
        var problems = new Dictionary<string, string[]>();
        if (kind is not null && kind is not (JobKinds.GoldenCheck or JobKinds.Archive))
            problems["kind"] = [$"{JobKinds.GoldenCheck} or {JobKinds.Archive}."];
        // By name only: a number would name a state nobody can read in the answer.
        JobRunState? parsed = null;
        if (state is not null)
        {
            if (!char.IsLetter(state.FirstOrDefault()) || !Enum.TryParse<JobRunState>(state, true, out var value) || !Enum.IsDefined(value))
                problems["state"] = [string.Join(", ", Enum.GetNames<JobRunState>()) + "."];
            else
                parsed = value;
        }
        if (problems.Count > 0)
            return Paging.Invalid(problems).ToResult();
        return Answer(await service.ListAsync(await CallerAsync(ctx, resolver), team, kind, parsed, skip ?? 0, take ?? 50, ctx.RequestAborted));
    }
}
