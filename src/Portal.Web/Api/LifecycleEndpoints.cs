using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Lifecycle;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public sealed record TransitionRequestBody(string? Target, string? Justification);
public sealed record DecisionBody(string? Comment);
public sealed record RollbackBody(string? Reason);
public sealed record AliasMoveBody(string? Version);
public sealed record AliasProtectionBody(bool Protected);

/// <summary>
/// Stages, aliases, transition requests and decisions for pipelines and approvers. Requests are
/// addressed by number; whether the caller may read or decide one is the service's question to the gate.
/// </summary>
public static class LifecycleEndpoints
{
    private const string AssetPath = "/teams/{team}/assets/{asset}";
    private const string VersionPath = AssetPath + "/versions/{version}";

    public static void MapLifecycleEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Lifecycle");
        group.MapPost(VersionPath + "/transitions", RequestAsync).WithName("RequestTransition")
            .WithSummary("Ask to move the version to Staging, Production, Archived or alias:<name>. Applied at once when every rule passes and the policy needs no approval.");
        group.MapGet(VersionPath + "/transitions", (string team, string asset, string version, HttpContext ctx, CallerResolver r, TransitionService s) =>
            Respond(ctx, r, c => s.ListForVersionAsync(c, team, asset, version, ctx.RequestAborted))).WithName("ListVersionTransitions");
        group.MapGet(VersionPath + "/stages", (string team, string asset, string version, HttpContext ctx, CallerResolver r, AssetStagesService s) =>
            Respond(ctx, r, c => s.ForVersionAsync(c, team, asset, version, ctx.RequestAborted))).WithName("GetVersionStages");
        group.MapGet("/transitions/{id:long}", GetAsync).WithName("GetTransition")
            .WithSummary("A request with its rule results and decisions. ?wait=N (≤ 30 s) holds the answer until it is decided; Retry-After says when to ask again.");
        group.MapPost("/transitions/{id:long}/approve", (long id, DecisionBody body, HttpContext ctx, CallerResolver r, DecisionService s) =>
            Respond(ctx, r, c => s.DecideAsync(c, id, true, body.Comment, ctx.RequestAborted))).WithName("ApproveTransition")
            .WithSummary("Approve with a comment. Requesters and registrants cannot approve; the request is applied when the policy's approvals are complete.");
        group.MapPost("/transitions/{id:long}/reject", (long id, DecisionBody body, HttpContext ctx, CallerResolver r, DecisionService s) =>
            Respond(ctx, r, c => s.DecideAsync(c, id, false, body.Comment, ctx.RequestAborted))).WithName("RejectTransition");
        group.MapPost("/transitions/{id:long}/cancel", (long id, HttpContext ctx, CallerResolver r, TransitionService s) =>
            Respond(ctx, r, c => s.CancelAsync(c, id, ctx.RequestAborted))).WithName("CancelTransition");
        group.MapGet("/approvals", ListApprovalsAsync).WithName("ListApprovals")
            .WithSummary("Pending requests the caller may decide, across their teams, oldest first; pass nextCursor as cursor.");
        group.MapGet(AssetPath + "/stages", (string team, string asset, HttpContext ctx, CallerResolver r, AssetStagesService s) =>
            Respond(ctx, r, c => s.GetAsync(c, team, asset, ctx.RequestAborted))).WithName("GetAssetStages");
        group.MapPost(AssetPath + "/rollback", (string team, string asset, RollbackBody body, HttpContext ctx, CallerResolver r, AssetStagesService s) =>
            Respond(ctx, r, c => s.RollBackAsync(c, team, asset, body.Reason, ctx.RequestAborted))).WithName("RollBack")
            .WithSummary("Restore the last known good version to Production at once (Approver, TeamAdmin); a reason is required and a review is queued.");
        group.MapGet(AssetPath + "/aliases", (string team, string asset, HttpContext ctx, CallerResolver r, AliasService s) =>
            Respond(ctx, r, c => s.ListAsync(c, team, asset, ctx.RequestAborted))).WithName("ListAliases");
        group.MapGet(AssetPath + "/aliases/{alias}", ResolveAliasAsync).WithName("ResolveAlias")
            .WithSummary("The version an alias points at and its files' SHA-256 digests; cacheable with If-None-Match.");
        group.MapPut(AssetPath + "/aliases/{alias}", (string team, string asset, string alias, AliasMoveBody body, HttpContext ctx, CallerResolver r, AliasService s) =>
            Respond(ctx, r, c => s.MoveAsync(c, team, asset, alias, body.Version ?? "", ctx.RequestAborted))).WithName("MoveAlias")
            .WithSummary("Point an unprotected alias at a Ready version; a protected alias needs a transition request (alias:<name>).");
        group.MapPut(AssetPath + "/aliases/{alias}/protection", (string team, string asset, string alias, AliasProtectionBody body, HttpContext ctx, CallerResolver r, AliasService s) =>
            Respond(ctx, r, c => s.SetProtectedAsync(c, team, asset, alias, body.Protected, ctx.RequestAborted))).WithName("ProtectAlias");
    }

    private static async Task<IResult> Respond<T>(HttpContext ctx, CallerResolver resolver, Func<Portal.Core.Teams.CallerAccess, Task<Result<T>>> call) =>
        ApiRequest.Answer(await call(await ApiRequest.CallerAsync(ctx, resolver)));

    private static async Task<IResult> RequestAsync(string team, string asset, string version, TransitionRequestBody body, HttpContext ctx, CallerResolver resolver,
        TransitionService transitions)
    {
        var caller = await ApiRequest.CallerAsync(ctx, resolver);
        var result = await transitions.RequestAsync(caller, team, asset, version, body.Target ?? "", body.Justification, ctx.RequestAborted);
        if (!result.IsSuccess)
            return result.Error!.ToResult();
        return Results.Created($"/api/v1/transitions/{result.Value.Id}", result.Value);
    }

    private static async Task<IResult> GetAsync(long id, int? wait, HttpContext ctx, CallerResolver resolver, TransitionService transitions)
    {
        if (wait is < 0 or > 30)
            return Paging.Invalid(new Dictionary<string, string[]> { ["wait"] = ["Seconds to wait for a decision, 0 to 30."] }).ToResult();
        var caller = await ApiRequest.CallerAsync(ctx, resolver);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(wait ?? 0);
        while (true)
        {
            var result = await transitions.GetAsync(caller, id, ctx.RequestAborted);
            if (!result.IsSuccess)
                return result.Error!.ToResult();
            if (result.Value.State != TransitionState.Pending)
                return Results.Ok(result.Value);
            if (DateTimeOffset.UtcNow >= deadline)
            {
                ctx.Response.Headers.RetryAfter = "5";
                return Results.Ok(result.Value);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ctx.RequestAborted);
        }
    }

    private static async Task<IResult> ListApprovalsAsync(string? team, AssetKind? kind, string? target, string? asset, string? cursor, int? limit,
        HttpContext ctx, CallerResolver resolver, ApprovalQueueService queue)
    {
        var caller = await ApiRequest.CallerAsync(ctx, resolver);
        return ApiRequest.Answer(await queue.ListAsync(caller, new QueueFilter(team, kind, target, asset, cursor, limit ?? 25), ctx.RequestAborted));
    }

    private static async Task<IResult> ResolveAliasAsync(string team, string asset, string alias, HttpContext ctx, CallerResolver resolver, AliasService aliases)
    {
        var caller = await ApiRequest.CallerAsync(ctx, resolver);
        var result = await aliases.ResolveAsync(caller, team, asset, alias, ctx.RequestAborted);
        if (!result.IsSuccess)
            return result.Error!.ToResult();
        var etag = $"\"{result.Value.VersionId:N}-{result.Value.Revision}\"";
        ctx.Response.Headers.ETag = etag;
        ctx.Response.Headers.CacheControl = "private, no-cache";
        return ctx.Request.Headers.IfNoneMatch.Contains(etag) ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Ok(result.Value);
    }
}
