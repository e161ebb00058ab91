using Portal.Core.Audit;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Common;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public sealed record AuditCheckpointView(long TreeSize, string RootHash, long HeadSequence, string HeadHash, DateTimeOffset IssuedAt, string PublicKey, string Signature,
    string Download)
{
    public static AuditCheckpointView From(AuditCheckpoint c) => new(c.TreeSize, Convert.ToHexStringLower(c.RootHash), c.HeadSequence,
        Convert.ToHexStringLower(c.HeadHash), c.IssuedAt, Convert.ToBase64String(c.PublicKey), Convert.ToBase64String(c.Signature),
        $"/api/v1/audit/checkpoints/{c.TreeSize}");
}

/// <summary>The audit log for auditors and TeamAdmins: search, verification, signed checkpoints and the export the verifier reads.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/audit").WithTags("Audit");
        group.MapGet("/events", SearchAsync).WithName("SearchAuditEvents")
            .WithSummary("Events newest first (or ?sort=Sequence|Action|Actor&descending=false); team is required unless the caller reads every team. Offset paging.");
        group.MapPost("/verify", async (HttpContext ctx, CallerResolver r, AuditTrailService s) =>
            ApiRequest.Answer(await s.VerifyAsync(await ApiRequest.CallerAsync(ctx, r), ctx.RequestAborted))).WithName("VerifyAuditChain")
            .WithSummary("Verify the whole chain against the signed checkpoints now; names the first bad sequence number.");
        group.MapGet("/checkpoints", async (HttpContext ctx, CallerResolver r, AuditTrailService s) =>
        {
            var result = await s.ListCheckpointsAsync(await ApiRequest.CallerAsync(ctx, r), ctx.RequestAborted);
            return result.IsSuccess ? Results.Ok(result.Value.Select(AuditCheckpointView.From)) : result.Error!.ToResult();
        }).WithName("ListAuditCheckpoints");
        group.MapGet("/checkpoints/{treeSize:long}", async (long treeSize, HttpContext ctx, CallerResolver r, AuditTrailService s) =>
        {
            var result = await s.CheckpointFileAsync(await ApiRequest.CallerAsync(ctx, r), treeSize, ctx.RequestAborted);
            return result.IsSuccess
                ? Results.File(result.Value, "application/json", AuditCheckpoint.FileNameFor(treeSize))
                : result.Error!.ToResult();
        }).WithName("GetAuditCheckpoint").WithSummary("The signed checkpoint file exactly as stored outside the database.");
        group.MapGet("/export", ExportAsync).WithName("ExportAuditLog")
            .WithSummary("The whole log as portal-audit-export/v1 JSON, for portal-audit-verify --export. Audited.");
    }

    private static async Task<IResult> SearchAsync(HttpContext ctx, CallerResolver resolver, AuditQueryService service, string? team, string? asset, string? version,
        string? actor, string? action, DateTimeOffset? from, DateTimeOffset? to, string? text, AuditSort? sort, bool? descending, int? offset, int? limit)
    {
        var filter = new AuditFilter
        {
            Team = team, Asset = asset, Version = version, Actor = actor, Action = action, From = from, To = to, Text = text,
            Sort = sort ?? AuditSort.Sequence, Descending = descending ?? true, Offset = offset ?? 0, Limit = limit ?? 50,
        };
        return ApiRequest.Answer(await service.SearchAsync(await ApiRequest.CallerAsync(ctx, resolver), filter, ctx.RequestAborted));
    }

    private static async Task<IResult> ExportAsync(HttpContext ctx, CallerResolver resolver, AuditTrailService service)
    {
        var caller = await ApiRequest.CallerAsync(ctx, resolver);
        // Refused callers get a problem, not a half-started download: the service checks before writing.
        if (Portal.Core.Access.AccessGate.Check(caller, Portal.Core.Access.PortalAction.VerifyAudit) is { } refused)
            return refused.ToResult();
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.ContentDisposition = "attachment; filename=audit-export.json";
        await service.ExportAsync(caller, ctx.Response.Body, ctx.RequestAborted);
        return Results.Empty;
    }
}
