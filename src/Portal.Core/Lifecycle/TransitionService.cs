using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Lifecycle;

public sealed class LifecycleOptions
{
    /// <summary>A pending request older than this expires; nobody decides on stale evidence.</summary>
    public int RequestMaxAgeDays { get; set; } = 14;
}

/// <summary>
/// Transition requests: asked for by Contributors (people or pipelines), evaluated against the
/// policies when made, applied at once when the policy needs no person to sign, else waiting in the
/// approvers' queues. Decisions are <see cref="DecisionService"/>'s.
/// </summary>
public sealed class TransitionService(IDbContextFactory<PortalDbContext> dbFactory, IPolicyEvaluator policies, TimeProvider clock,
    ApprovalSignal signal)
{
    public async Task<Result<TransitionView>> RequestAsync(CallerAccess caller, string team, string asset, string version, string target, string? justification,
        CancellationToken ct = default)
    {
        var parsed = TransitionTarget.Parse(target);
        if (!parsed.IsSuccess)
            return parsed.Error!;
        if ((justification?.Length ?? 0) > 2000)
            return LifecycleErrors.JustificationTooLong;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await VersionService.FindVersionAsync(db, caller, team, asset, version, PortalAction.RequestTransitions, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        if (v.Status != VersionStatus.Ready)
            return LifecycleErrors.NotReady;
        if (v.ArchivedAt is not null)
            return LifecycleErrors.InColdStore;
        if (parsed.Value.Stage is { } to && !TransitionTarget.IsAllowed(v.Stage, to))
            return LifecycleErrors.InvalidMove(v.Stage, to);
        var targetText = parsed.Value.ToString();
        if (await db.TransitionRequests.AnyAsync(r => r.VersionId == v.Id && r.Target == targetText && r.State == TransitionState.Pending, ct))
            return LifecycleErrors.Duplicate;

        var now = clock.GetUtcNow();
        var evaluation = await policies.EvaluateAsync(db, v.Id, targetText, [], ct);
        var required = await RequiredApprovalsAsync(db, found.Value.Asset.Id, parsed.Value, evaluation, ct);
        var request = new TransitionRequest
        {
            TeamId = found.Value.TeamId, AssetId = found.Value.Asset.Id, VersionId = v.Id, Target = targetText, Justification = justification?.Trim() ?? "",
            RequestedBy = caller.Actor.Name, RequestedByActorId = caller.Actor.Id, RequestedByPersonKey = caller.Actor.PersonKey, CreatedAt = now,
            EvaluationJson = LifecycleJson.Write(evaluation.Results), RequiredApprovalsJson = LifecycleJson.Write(required),
            ApprovingTeams = required.Select(r => r.Team).OfType<string>().Where(t => t != team).Distinct().ToList(),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.TransitionRequests.Add(request);
        await db.SaveChangesAsync(ct);
        db.Record(caller.Actor, now, "transition.requested", "version", v.Id.ToString(), request.TeamId,
            after: new { RequestId = request.Id, Version = v.Version, Target = targetText, request.Justification, Rules = Summary(evaluation) });

        Error? refusal = null;
        if (!evaluation.ChecksPass)
        {
            Close(request, TransitionState.Rejected, "policy gate", "The policy gate refused it when it was made.", now);
            db.Record(caller.Actor, now, "transition.refused", "version", v.Id.ToString(), request.TeamId,
                after: new { RequestId = request.Id, Failed = evaluation.CheckFailures.Select(f => $"{f.Policy}/{f.Rule}").ToList() });
            refusal = LifecycleErrors.PolicyFailed(evaluation.CheckFailures);
        }
        else if (required.Count == 0)
        {
            var tracked = await db.Assets.SingleAsync(a => a.Id == request.AssetId, ct);
            await StageMover.MoveAsync(db, tracked, v, parsed.Value, caller.Actor, now, request.Id, "Every rule passed; the policy needs no approval", ct);
            Close(request, TransitionState.Applied, "policy gate", null, now);
            db.Record(caller.Actor, now, "transition.applied", "version", v.Id.ToString(), request.TeamId, after: new { RequestId = request.Id, Target = targetText });
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two requests raced for one stage: the database let only one through.
            return LifecycleErrors.ProductionTaken;
        }
        signal.Changed();
        // Everything the view shows is at hand: a new request has no decisions yet.
        return refusal ?? (Result<TransitionView>)View(request, team, found.Value.Asset.Name, found.Value.Asset.Kind, v.Version, []);
    }

    public async Task<Result<TransitionView>> CancelAsync(CallerAccess caller, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.TransitionRequests.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (request is null || await TargetOfAsync(db, request, ct) is not { } target || !caller.Allows(PortalAction.ReadAsset, target))
            return LifecycleErrors.NotFound(id);
        if (request.RequestedByPersonKey != caller.Actor.PersonKey)
            return LifecycleErrors.NotRequester;
        if (request.State != TransitionState.Pending)
            return LifecycleErrors.Closed(request.State);
        var now = clock.GetUtcNow();
        Close(request, TransitionState.Cancelled, caller.Actor.Name, "Cancelled by the requester.", now);
        db.Record(caller.Actor, now, "transition.cancelled", "version", request.VersionId.ToString(), request.TeamId, after: new { RequestId = id });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return LifecycleErrors.Raced;
        }
        signal.Changed();
        return await ViewAsync(db, id, ct);
    }

    /// <summary>A request, for whoever may read its asset or decide it.</summary>
    public async Task<Result<TransitionView>> GetAsync(CallerAccess caller, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.TransitionRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (request is null || await TargetOfAsync(db, request, ct) is not { } target
            || !(caller.Allows(PortalAction.ReadAsset, target) || caller.Allows(PortalAction.DecideTransitions, target)))
            return LifecycleErrors.NotFound(id);
        return await ViewAsync(db, id, ct);
    }

    public async Task<Result<IReadOnlyList<TransitionView>>> ListForVersionAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await VersionService.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var ids = await db.TransitionRequests.AsNoTracking().Where(r => r.VersionId == found.Value.Version.Id)
            .OrderByDescending(r => r.Id).Select(r => r.Id).Take(100).ToListAsync(ct);
        var views = new List<TransitionView>();
        foreach (var id in ids)
            views.Add(await ViewAsync(db, id, ct));
        return views;
    }

    /// <summary>Expires pending requests older than the configured age; safe to run twice.</summary>
    public async Task<int> ExpireStaleAsync(Actor job, int maxAgeDays, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-maxAgeDays);
        var stale = await db.TransitionRequests.Where(r => r.State == TransitionState.Pending && r.CreatedAt < cutoff).Take(500).ToListAsync(ct);
        foreach (var request in stale)
        {
            Close(request, TransitionState.Expired, job.Name, $"Not decided within {maxAgeDays} days.", now);
            db.Record(job, now, "transition.expired", "version", request.VersionId.ToString(), request.TeamId, after: new { RequestId = request.Id });
        }
        await db.SaveChangesAsync(ct);
        if (stale.Count > 0)
            signal.Changed();
        return stale.Count;
    }

    internal static void Close(TransitionRequest request, TransitionState state, string by, string? reason, DateTimeOffset at)
    {
        request.State = state;
        request.ClosedAt = at;
        request.ClosedBy = by;
        request.CloseReason = reason;
        request.Revision++;
    }

    /// <summary>What the policy names, with a floor: Production and protected aliases always need one Approver of the team.</summary>
    internal static async Task<IReadOnlyList<ApprovalRequirement>> RequiredApprovalsAsync(PortalDbContext db, Guid assetId, TransitionTarget target,
        PolicyEvaluation evaluation, CancellationToken ct)
    {
        if (evaluation.RequiredApprovals.Count > 0)
            return evaluation.RequiredApprovals;
        var gated = target.Stage == Stage.Production
            || (target.Alias is { } alias && await db.Aliases.AnyAsync(a => a.AssetId == assetId && a.Name == alias && a.IsProtected, ct));
        return gated ? [new ApprovalRequirement(1, TeamRole.Approver, null)] : [];
    }

    /// <summary>What a request is about, by name, with who registered the version: one read serves the gate, separation of duties and the answer.</summary>
    internal sealed record Subject(string Team, string Asset, AssetKind Kind, string Version, string? RegisteredByActorId)
    {
        public AccessTarget Target(TransitionRequest request) => AccessTarget.Asset(Team, Asset, false) with { AlsoDecidedBy = request.ApprovingTeams };
    }

    internal static Task<Subject?> SubjectAsync(PortalDbContext db, TransitionRequest request, CancellationToken ct) => (
        from v in db.Versions.AsNoTracking()
        where v.Id == request.VersionId
        join a in db.Assets on v.AssetId equals a.Id
        join t in db.Teams on a.TeamId equals t.Id
        select new Subject(t.Slug, a.Name, a.Kind, v.Version, v.CreatedByActorId)).SingleOrDefaultAsync(ct);

    internal static async Task<AccessTarget?> TargetOfAsync(PortalDbContext db, TransitionRequest request, CancellationToken ct) =>
        (await SubjectAsync(db, request, ct))?.Target(request);

    internal static async Task<TransitionView> ViewAsync(PortalDbContext db, long id, CancellationToken ct)
    {
        var r = await db.TransitionRequests.AsNoTracking().SingleAsync(x => x.Id == id, ct);
        var subject = (await SubjectAsync(db, r, ct))!;
        var decisions = await db.TransitionDecisions.AsNoTracking().Where(d => d.RequestId == id).OrderBy(d => d.DecidedAt).ToListAsync(ct);
        return View(r, subject, decisions);
    }

    internal static TransitionView View(TransitionRequest r, Subject subject, IEnumerable<TransitionDecision> decisions) =>
        View(r, subject.Team, subject.Asset, subject.Kind, subject.Version,
            decisions.Select(d => new DecisionView(d.Approved, d.Comment, d.ActorName, d.Team, d.Role, d.DecidedAt)).ToList());

    private static TransitionView View(TransitionRequest r, string team, string asset, AssetKind kind, string version, IReadOnlyList<DecisionView> decisions) =>
        new(r.Id, team, asset, kind, version, r.Target, r.Justification, r.State, r.RequestedBy,
            r.CreatedAt, r.ClosedAt, r.ClosedBy, r.CloseReason, r.IsRollbackReview, LifecycleJson.ReadList<RuleResult>(r.EvaluationJson),
            r.ApplyEvaluationJson is null ? null : LifecycleJson.ReadList<RuleResult>(r.ApplyEvaluationJson),
            LifecycleJson.ReadList<ApprovalRequirement>(r.RequiredApprovalsJson), decisions, r.Revision);

    private static List<string> Summary(PolicyEvaluation evaluation) =>
        evaluation.Results.Select(r => $"{r.Policy}/{r.Rule}: {r.Outcome}").ToList();
}
