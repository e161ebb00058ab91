using Portal.Core.Archiving;
using Portal.Core.Common;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public sealed record ArchiveRuleBody(int? MinAgeDays, int? UnusedForDays, int? RetentionDays, bool? Enabled)
{
    /// <summary>Every field is required: a missing one must not silently become zero days.</summary>
    public Result<ArchiveRuleInput> ToInput() =>
        MinAgeDays is { } age && UnusedForDays is { } unused && RetentionDays is { } retention && Enabled is { } enabled
            ? new ArchiveRuleInput(age, unused, retention, enabled)
            : Error.Validation("archive-rule.invalid", "Give minAgeDays, unusedForDays, retentionDays and enabled.");
}

public sealed record PurgeBody(string? Confirm);
public sealed record LegalHoldBody(bool? Hold, string? Reason);

/// <summary>Archiving of stale versions: the team's rule, the dry run, runs, the archived versions, restore, purge and legal holds.</summary>
public static class ArchivingEndpoints
{
    private const string TeamArchiving = "/teams/{team}/archiving";
    private const string VersionPath = "/teams/{team}/assets/{asset}/versions/{version}";

    public static void MapArchivingEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Archiving");
        group.MapGet(TeamArchiving + "/rule", (string team, HttpContext ctx, CallerResolver r, ArchiveRuleService s) =>
            Respond(ctx, r, c => s.GetAsync(c, team, ctx.RequestAborted))).WithName("GetArchiveRule")
            .WithSummary("The archiving rule in force for the team: its own, else the platform default (source says which).");
        group.MapPut(TeamArchiving + "/rule", (string team, ArchiveRuleBody body, HttpContext ctx, CallerResolver r, ArchiveRuleService s) =>
            Respond(ctx, r, c => Valid(body, input => s.SaveAsync(c, team, input, ctx.RequestAborted))))
            .WithName("SaveArchiveRule").WithSummary("Save the team's rule (TeamAdmins): minAgeDays, unusedForDays, retentionDays, enabled (nightly runs).");
        group.MapPut("/archiving/default-rule", (ArchiveRuleBody body, HttpContext ctx, CallerResolver r, ArchiveRuleService s) =>
            Respond(ctx, r, c => Valid(body, input => s.SaveDefaultAsync(c, input, ctx.RequestAborted))))
            .WithName("SaveDefaultArchiveRule").WithSummary("Save the platform default rule (PlatformAdmins), used by teams without a rule of their own.");
        group.MapGet(TeamArchiving + "/dry-run", (string team, HttpContext ctx, CallerResolver r, ArchiveService s) =>
            Respond(ctx, r, c => s.PreviewAsync(c, team, ctx.RequestAborted))).WithName("PreviewArchiving")
            .WithSummary("Exactly what a run started now would archive, and why for each version. Changes nothing.");
        group.MapPost(TeamArchiving + "/runs", (string team, HttpContext ctx, CallerResolver r, ArchiveService s) =>
            Respond(ctx, r, c => s.StartRunAsync(c, team, ApiRequest.IdempotencyKey(ctx), ctx.RequestAborted), v => Results.Accepted(null, v)))
            .WithName("StartArchiveRun").WithSummary("Start an archive run (TeamAdmins); 202 with the job run. Idempotency-Key finds an earlier start.");
        group.MapGet(TeamArchiving + "/archived", (string team, HttpContext ctx, CallerResolver r, ArchiveService s) =>
            Respond(ctx, r, c => s.ListArchivedAsync(c, team, ctx.RequestAborted))).WithName("ListArchivedVersions")
            .WithSummary("Versions archive runs archived and not purged, newest first (at most 500), with when each may be purged.");
        group.MapPost(VersionPath + "/restore", (string team, string asset, string version, HttpContext ctx, CallerResolver r, ArchiveRestoreService s) =>
            Respond(ctx, r, c => s.RestoreAsync(c, team, asset, version, ctx.RequestAborted))).WithName("RestoreVersion")
            .WithSummary("Bring an archived version's files back from the cold store (digests verified) and the version back to no stage.");
        group.MapPost(VersionPath + "/purge", (string team, string asset, string version, PurgeBody body, HttpContext ctx, CallerResolver r, ArchiveRestoreService s) =>
            Respond(ctx, r, c => s.PurgeAsync(c, team, asset, version, body.Confirm, ctx.RequestAborted))).WithName("PurgeVersion")
            .WithSummary("Delete an archived version's files for good after the retention period; confirm with \"asset/version\". Refused while anything refers to it.");
        group.MapPut(VersionPath + "/legal-hold", (string team, string asset, string version, LegalHoldBody body, HttpContext ctx, CallerResolver r, ArchiveService s) =>
            Respond(ctx, r, c => body.Hold is { } hold ? s.SetLegalHoldAsync(c, team, asset, version, hold, body.Reason, ctx.RequestAborted)
                : Task.FromResult<Result<bool>>(Error.Validation("archive.hold-required", "Say hold: true or false.")))).WithName("SetLegalHold")
            .WithSummary("Set or clear a legal hold (TeamAdmins), with a reason: a held version is never archived or purged.");
    }

    private static Task<Result<ArchiveRuleView>> Valid(ArchiveRuleBody body, Func<ArchiveRuleInput, Task<Result<ArchiveRuleView>>> save) =>
        body.ToInput() is var input && input.IsSuccess ? save(input.Value) : Task.FromResult<Result<ArchiveRuleView>>(input.Error!);

    private static Task<IResult> Respond<T>(HttpContext ctx, CallerResolver resolver, Func<Portal.Core.Teams.CallerAccess, Task<Result<T>>> call) =>
        Respond(ctx, resolver, call, Results.Ok);

    private static async Task<IResult> Respond<T>(HttpContext ctx, CallerResolver resolver, Func<Portal.Core.Teams.CallerAccess, Task<Result<T>>> call,
        Func<T, IResult> success) =>
        ApiRequest.Answer(await call(await ApiRequest.CallerAsync(ctx, resolver)), success);
}
