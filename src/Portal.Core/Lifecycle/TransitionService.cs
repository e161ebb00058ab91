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
public sealed partial class TransitionService(IDbContextFactory<PortalDbContext> dbFactory, IPolicyEvaluator policies, TimeProvider clock,
    ApprovalSignal signal)
{
    public async Task<Result<TransitionView>> RequestAsync(CallerAccess caller, string team, string asset, string version, string target, string? justification,
        CancellationToken ct = default)
    {
        var parsed = TransitionTarget.Parse(target);
        if (!parsed.IsSuccess)
            return parsed.Error!;
        if (!LifecycleErrors.TextFits(justification))
            return LifecycleErrors.JustificationInvalid;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RequestTransitions, ct, trackAsset: true);
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
        if (await PendingExists.For(db)(db, v.Id, targetText, ct))
            return LifecycleErrors.Duplicate;

        var now = clock.GetUtcNow();
        var subject = new Subject(team, found.Value.Asset.Name, found.Value.Asset.Kind, v.Version, v.CreatedByActorId,
            VersionHead.Of(found.Value.TeamId, team, found.Value.Asset, v));
        var evaluation = await policies.EvaluateAsync(db, subject.Head, targetText, [], ct);
        var required = await RequiredApprovalsAsync(db, team, found.Value.Asset.Id, parsed.Value, evaluation, ct);
        var request = new TransitionRequest
        {
            TeamId = found.Value.TeamId, AssetId = found.Value.Asset.Id, VersionId = v.Id, Target = targetText, Justification = justification?.Trim() ?? "",
            RequestedBy = caller.Actor.Name, RequestedByActorId = caller.Actor.Id, RequestedByPersonKey = caller.Actor.PersonKey, CreatedAt = now,
            EvaluationJson = LifecycleJson.Write(evaluation.Results), RequiredApprovalsJson = LifecycleJson.Write(required),
            ApprovingTeams = required.Select(r => r.Team).OfType<string>().Where(t => t != team).Distinct().ToList(),
        };
        // The outcome is known before the row is written, so the row, its events and the stage move are written by one save.
        var applyNow = evaluation.ChecksPass && required.Count == 0;
        if (!evaluation.ChecksPass)
            Close(request, TransitionState.Rejected, "policy gate", "The policy gate refused it when it was made.", now);
        else if (applyNow)
            Close(request, TransitionState.Applied, "policy gate", null, now);
        await using var tx = await db.BeginUnitAsync(ct);
        await RequestNumbers.AddAsync(db, request, ct);
        db.Record(caller.Actor, now, "transition.requested", "version", v.Id.ToString(), request.TeamId,
            after: new { RequestId = request.Id, Version = v.Version, Target = targetText, request.Justification, Rules = Summary(evaluation) });

        Error? refusal = null;
        if (!evaluation.ChecksPass)
        {
            db.Record(caller.Actor, now, "transition.refused", "version", v.Id.ToString(), request.TeamId,
                after: new { RequestId = request.Id, Failed = evaluation.CheckFailures.Select(f => $"{f.Policy}/{f.Rule}").ToList() });
            refusal = LifecycleErrors.PolicyFailed(evaluation.CheckFailures);
        }
        else if (applyNow)
        {
            await StageMover.MoveAsync(db, found.Value.Asset, v, parsed.Value, caller.Actor, now, request.Id, "Every rule passed; the policy needs no approval", ct);
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
        return refusal ?? (Result<TransitionView>)View(request, subject, []);
    }

    // Every request asks it: compiled once, it skips EF Core's per-call expression work.
    private static readonly PerModel<Func<PortalDbContext, Guid, string, CancellationToken, Task<bool>>> PendingExists = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, Guid versionId, string target, CancellationToken ct) =>
            db.TransitionRequests.Any(r => r.VersionId == versionId && r.Target == target && r.State == TransitionState.Pending)));

    public async Task<Result<TransitionView>> CancelAsync(CallerAccess caller, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await WithSubjectAsync(db, id, ct) is not var (request, subject, _, _) || !caller.Allows(PortalAction.ReadAsset, subject.Target(request)))
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

    /// <summary>Expires pending requests older than the configured age; safe to run twice.</summary>
    public async Task<int> ExpireStaleAsync(Actor job, int maxAgeDays, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-maxAgeDays);
        var stale = await db.TransitionRequests.Where(r => r.State == TransitionState.Pending && r.CreatedAt < cutoff).OrderBy(r => r.CreatedAt).Take(500).ToListAsync(ct);
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

    /// <summary>
    /// What the policy names, with a floor: Production and protected aliases always need one Approver of the asset's own team, also
    /// when the policy names only another team's (a risk team signs in addition to the owners, never instead of them).
    /// </summary>
    internal static async Task<IReadOnlyList<ApprovalRequirement>> RequiredApprovalsAsync(PortalDbContext db, string team, Guid assetId, TransitionTarget target,
        PolicyEvaluation evaluation, CancellationToken ct)
    {
        var named = evaluation.RequiredApprovals;
        if (named.Any(r => r.Team is null || r.Team == team))
            return named;
        var gated = target.Stage == Stage.Production
            || (target.Alias is { } alias && await db.Aliases.AnyAsync(a => a.AssetId == assetId && a.Name == alias && a.IsProtected, ct));
        return gated ? [new ApprovalRequirement(1, TeamRole.Approver, null), .. named] : named;
    }

    private static List<string> Summary(PolicyEvaluation evaluation) =>
        evaluation.Results.Select(r => $"{r.Policy}/{r.Rule}: {r.Outcome}").ToList();
}
