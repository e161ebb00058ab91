using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Lifecycle;

/// <summary>
/// Approving and rejecting. The gate decides who may; separation of duties keeps requesters and
/// registrants (in person or through their tokens) out; the request's revision makes one of two
/// racing decisions win; the policies run again before anything moves.
/// </summary>
public sealed class DecisionService(IDbContextFactory<PortalDbContext> dbFactory, IPolicyEvaluator policies, TimeProvider clock,
    ApprovalSignal signal, LifecycleOptions options)
{
    public async Task<Result<TransitionView>> DecideAsync(CallerAccess caller, long id, bool approve, string? comment, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await TransitionService.WithSubjectAsync(db, id, ct) is not var (request, subject, version, asset))
            return LifecycleErrors.NotFound(id);
        var target = subject.Target(request);
        if (AccessGate.Check(caller, PortalAction.DecideTransitions, target) is { } denied)
            return await RefuseAsync(db, caller, request, denied.Code, denied.Kind == ErrorKind.NotFound ? LifecycleErrors.NotFound(id) : denied, ct);
        if (!LifecycleErrors.RequiredTextFits(comment))
            return LifecycleErrors.CommentRequired;
        var now = clock.GetUtcNow();
        if (request.State == TransitionState.Pending && request.CreatedAt.AddDays(options.RequestMaxAgeDays) < now)
        {
            TransitionService.Close(request, TransitionState.Expired, "lifecycle", $"Not decided within {options.RequestMaxAgeDays} days.", now);
            db.Record(caller.Actor, now, "transition.expired", "version", request.VersionId.ToString(), request.TeamId, after: new { RequestId = id });
            await db.SaveChangesAsync(ct);
            return LifecycleErrors.Expired;
        }
        if (request.State != TransitionState.Pending)
            return await RefuseAsync(db, caller, request, "closed", LifecycleErrors.Closed(request.State), ct);
        var person = caller.Actor.PersonKey;
        if (person == request.RequestedByPersonKey || person == await PersonOfAsync(db, subject.RegisteredByActorId, ct))
            return await RefuseAsync(db, caller, request, "separation-of-duties", LifecycleErrors.SelfApproval, ct);
        // Read once: the replay check, the approvals the policies count and the answer all come from these.
        var earlier = await Decisions.For(db)(db, id).ToListAsync(ct);
        if (earlier.Any(d => d.PersonKey == person))
            return await RefuseAsync(db, caller, request, "replay", LifecycleErrors.AlreadyDecided, ct);

        var (team, role) = CountsFor(caller, target);
        var decision = new TransitionDecision
        {
            RequestId = id, Approved = approve, Comment = comment.Trim(), ActorId = caller.Actor.Id, ActorName = caller.Actor.Name, PersonKey = person,
            Team = team, Role = role, DecidedAt = now,
        };
        db.TransitionDecisions.Add(decision);
        request.Revision++;
        db.Record(caller.Actor, now, approve ? "transition.approved" : "transition.rejected", "version", request.VersionId.ToString(), request.TeamId,
            after: new { RequestId = id, request.Target, Comment = comment.Trim(), Team = team, Role = role });

        Error? refusal = null;
        if (!approve)
            TransitionService.Close(request, TransitionState.Rejected, caller.Actor.Name, null, now);
        else
            refusal = await ApplyIfReadyAsync(db, caller.Actor, request, subject.Head, (version, asset), [.. earlier, decision], now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return LifecycleErrors.Raced;
        }
        catch (DbUpdateException)
        {
            // The replay index or the Production slot refused the loser of a race; the save's transaction is rolled back.
            db.ChangeTracker.Clear();
            return await db.TransitionDecisions.AnyAsync(d => d.RequestId == id && d.PersonKey == person, ct)
                ? LifecycleErrors.AlreadyDecided : LifecycleErrors.ProductionTaken;
        }
        signal.Changed();
        return refusal ?? (Result<TransitionView>)TransitionService.View(request, subject, [.. earlier, decision]);
    }

    // Every decision reads both: compiled once, they skip EF Core's per-call expression work.
    private static readonly PerModel<Func<PortalDbContext, long, IAsyncEnumerable<TransitionDecision>>> Decisions = new(() => EF.CompileAsyncQuery<PortalDbContext, long, TransitionDecision>(
        (db, id) => db.TransitionDecisions.AsNoTracking().Where(d => d.RequestId == id).OrderBy(d => d.DecidedAt)));

    private static readonly PerModel<Func<PortalDbContext, Guid, CancellationToken, Task<Guid?>>> TokenCreator = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, Guid id, CancellationToken ct) => db.ApiTokens.Where(t => t.Id == id).Select(t => (Guid?)t.CreatedByUserId).SingleOrDefault()));

    /// <summary>Runs the policies again with the approvals given; moves the version when everything holds.</summary>
    private async Task<Error?> ApplyIfReadyAsync(PortalDbContext db, Actor actor, TransitionRequest request, VersionHead head,
        (AssetVersion Version, Asset Asset) subject, IReadOnlyList<TransitionDecision> decisions, DateTimeOffset now, CancellationToken ct)
    {
        var approvals = decisions.Where(d => d.Approved).Select(d => new ApprovalFact(d.PersonKey, d.Team, d.Role)).ToList();
        var required = LifecycleJson.ReadList<ApprovalRequirement>(request.RequiredApprovalsJson);
        if (request.IsRollbackReview)
        {
            TransitionService.Close(request, TransitionState.Applied, actor.Name, "Rollback reviewed.", now);
            return null;
        }
        var evaluation = await policies.EvaluateAsync(db, head, request.Target, approvals, ct);
        request.ApplyEvaluationJson = LifecycleJson.Write(evaluation.Results);
        if (!evaluation.ChecksPass)
        {
            TransitionService.Close(request, TransitionState.Rejected, "policy gate", "The policy gate refused it when it was to be applied.", now);
            db.Record(actor, now, "transition.refused", "version", request.VersionId.ToString(), request.TeamId,
                after: new { RequestId = request.Id, Failed = evaluation.CheckFailures.Select(f => $"{f.Policy}/{f.Rule}").ToList() });
            return LifecycleErrors.PolicyFailed(evaluation.CheckFailures);
        }
        if (!evaluation.Passes || !Satisfied(required, approvals, head.Team))
            return null;
        var (version, asset) = subject;
        var target = TransitionTarget.Parse(request.Target).Value;
        if (target.Stage is { } to && !TransitionTarget.IsAllowed(version.Stage, to))
            return LifecycleErrors.InvalidMove(version.Stage, to);
        await StageMover.MoveAsync(db, asset, version, target, actor, now, request.Id, "Approved: " + request.Justification, ct);
        TransitionService.Close(request, TransitionState.Applied, actor.Name, null, now);
        db.Record(actor, now, "transition.applied", "version", request.VersionId.ToString(), request.TeamId, after: new { RequestId = request.Id, request.Target });
        return null;
    }

    internal static bool Satisfied(IReadOnlyList<ApprovalRequirement> required, IReadOnlyList<ApprovalFact> approvals, string assetTeam) =>
        required.All(r => approvals.Count(a => a.Team == (r.Team ?? assetTeam) && a.Role >= r.Role) >= r.Count);

    /// <summary>The team and role an approval counts for: the caller's highest role among the teams that may decide.</summary>
    private static (string Team, TeamRole Role) CountsFor(CallerAccess caller, AccessTarget target) =>
        target.AlsoDecidedBy.Prepend(target.TeamSlug!)
            .Select(t => (Team: t, Role: caller.RoleIn(t)))
            .Where(x => x.Role is not null)
            .Select(x => (x.Team, Role: x.Role!.Value))
            .OrderByDescending(x => x.Role >= TeamRole.Approver).ThenBy(x => x.Team == target.TeamSlug ? 0 : 1)
            .First();

    /// <summary>The person behind an actor who registered a version: the user, or the creator of the token that did.</summary>
    private static async Task<string?> PersonOfAsync(PortalDbContext db, string? actorId, CancellationToken ct)
    {
        if (!Guid.TryParse(actorId, out var id))
            return actorId;
        var creator = await TokenCreator.For(db)(db, id, ct);
        return (creator ?? id).ToString();
    }

    /// <summary>A refused decision is itself evidence: it is audited, then answered.</summary>
    private async Task<Error> RefuseAsync(PortalDbContext db, CallerAccess caller, TransitionRequest request, string reason, Error error, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        db.Record(caller.Actor, clock.GetUtcNow(), "transition.decision-refused", "version", request.VersionId.ToString(), request.TeamId,
            after: new { RequestId = request.Id, Reason = reason });
        await db.SaveChangesAsync(ct);
        return error;
    }
}
