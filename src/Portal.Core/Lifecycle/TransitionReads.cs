using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Lifecycle;

/// <summary>Reading requests: one, a version's, and the view every answer is built from.</summary>
public sealed partial class TransitionService
{
    /// <summary>A request, for whoever may read its asset or decide it.</summary>
    public async Task<Result<TransitionView>> GetAsync(CallerAccess caller, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await WithSubjectAsync(db, id, ct) is not var (request, subject, _, _))
            return LifecycleErrors.NotFound(id);
        var target = subject.Target(request);
        if (!(caller.Allows(PortalAction.ReadAsset, target) || caller.Allows(PortalAction.DecideTransitions, target)))
            return LifecycleErrors.NotFound(id);
        return View(request, subject, await DecisionsOf(db, [id]).ToListAsync(ct));
    }

    /// <summary>A version's latest hundred requests, newest first, in three queries whatever their number.</summary>
    public async Task<Result<IReadOnlyList<TransitionView>>> ListForVersionAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var (_, a, v) = found.Value;
        var requests = await db.TransitionRequests.AsNoTracking().Where(r => r.VersionId == v.Id).OrderByDescending(r => r.Id).Take(100).ToListAsync(ct);
        var ids = requests.Select(r => r.Id).ToList();
        var decisions = (await DecisionsOf(db, ids).ToListAsync(ct)).ToLookup(d => d.RequestId);
        var subject = new Subject(team, a.Name, a.Kind, v.Version, v.CreatedByActorId, VersionHead.Of(found.Value.TeamId, team, a, v));
        return requests.Select(r => View(r, subject, decisions[r.Id])).ToList();
    }

    /// <summary>What a request is about, by name, with who registered the version and what selects its policies: one read serves the gate, separation of duties, the policies and the answer.</summary>
    internal sealed record Subject(string Team, string Asset, AssetKind Kind, string Version, string? RegisteredByActorId, VersionHead Head)
    {
        public AccessTarget Target(TransitionRequest request) => AccessTarget.Asset(Team, Asset, false) with { AlsoDecidedBy = request.ApprovingTeams };
    }

    /// <summary>
    /// A request with its subject in one round trip, and the version and asset rows it is about, tracked, so a decision can move the
    /// version without reading it again (readers that only answer pay little for it: three rows).
    /// </summary>
    internal static async Task<(TransitionRequest Request, Subject Subject, AssetVersion Version, Asset Asset)?> WithSubjectAsync(
        PortalDbContext db, long id, CancellationToken ct)
    {
        var row = await SubjectRow.Find.For(db)(db, id, ct);
        return row is null ? null
            : (row.Request, new Subject(row.Team, row.Asset.Name, row.Asset.Kind, row.Version.Version, row.Version.CreatedByActorId,
                VersionHead.Of(row.Asset.TeamId, row.Team, row.Asset, row.Version)), row.Version, row.Asset);
    }

    /// <summary>A request with what it is about. Every decision, cancel and review starts here: compiled once, it skips EF Core's per-call expression work.</summary>
    private sealed class SubjectRow
    {
        public static readonly PerModel<Func<PortalDbContext, long, CancellationToken, Task<SubjectRow?>>> Find = new(() => EF.CompileAsyncQuery(
            (PortalDbContext db, long id, CancellationToken ct) => (
                from r in db.TransitionRequests
                where r.Id == id
                join v in db.Versions on r.VersionId equals v.Id
                join a in db.Assets on v.AssetId equals a.Id
                join t in db.Teams on a.TeamId equals t.Id
                select new SubjectRow { Request = r, Version = v, Asset = a, Team = t.Slug }).AsTracking().SingleOrDefault()));

        public required TransitionRequest Request { get; init; }

        public required AssetVersion Version { get; init; }

        public required Asset Asset { get; init; }

        public required string Team { get; init; }
    }

    internal static async Task<TransitionView> ViewAsync(PortalDbContext db, long id, CancellationToken ct)
    {
        var (request, subject, _, _) = (await WithSubjectAsync(db, id, ct))!.Value;
        return View(request, subject, await DecisionsOf(db, [id]).ToListAsync(ct));
    }

    internal static IQueryable<TransitionDecision> DecisionsOf(PortalDbContext db, List<long> ids) =>
        db.TransitionDecisions.AsNoTracking().Where(d => ids.Contains(d.RequestId)).OrderBy(d => d.DecidedAt);

    internal static TransitionView View(TransitionRequest r, Subject subject, IEnumerable<TransitionDecision> decisions) =>
        new(r.Id, subject.Team, subject.Asset, subject.Kind, subject.Version, r.Target, r.Justification, r.State, r.RequestedBy,
            r.CreatedAt, r.ClosedAt, r.ClosedBy, r.CloseReason, r.IsRollbackReview, LifecycleJson.ReadList<RuleResult>(r.EvaluationJson),
            r.ApplyEvaluationJson is null ? null : LifecycleJson.ReadList<RuleResult>(r.ApplyEvaluationJson),
            LifecycleJson.ReadList<ApprovalRequirement>(r.RequiredApprovalsJson),
            decisions.Select(d => new DecisionView(d.Approved, d.Comment, d.ActorName, d.Team, d.Role, d.DecidedAt)).ToList(), r.Revision);
}
