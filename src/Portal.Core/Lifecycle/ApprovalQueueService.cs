using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.ModelCards;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Lifecycle;

public sealed record QueueFilter(string? Team = null, AssetKind? Kind = null, string? Target = null, string? Asset = null, string? Cursor = null, int Limit = 25);

public sealed record QueueItem(long Id, string Team, string Asset, AssetKind Kind, string Version, string Target, string RequestedBy, DateTimeOffset CreatedAt,
    bool IsRollbackReview);

public sealed record MetricComparison(string Name, string Slice, double? Candidate, double? Production)
{
    public double? Delta => Candidate is { } c && Production is { } p ? c - p : null;
}

/// <summary>Everything an approver needs on one screen.</summary>
public sealed record TransitionReview(TransitionView Request, string? ProductionVersion, IReadOnlyList<MetricComparison> Metrics, IReadOnlyList<LineageView> Upstream,
    int ModelCardCompleteness, IReadOnlyList<VersionEvent> History, bool CanDecide);

/// <summary>The approvers' queues: across all the caller's teams, the pending requests their role may decide, oldest first.</summary>
public sealed class ApprovalQueueService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<Page<QueueItem>>> ListAsync(CallerAccess caller, QueueFilter filter, CancellationToken ct = default)
    {
        if (Problems(filter) is { } invalid)
            return invalid;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var limit = filter.Limit;
        var query = Decidable(db, caller);
        if (!string.IsNullOrWhiteSpace(filter.Team))
            query = query.Where(x => x.Team == filter.Team);
        if (filter.Kind is { } kind)
            query = query.Where(x => x.Kind == kind);
        if (!string.IsNullOrWhiteSpace(filter.Target))
            query = query.Where(x => x.Request.Target == filter.Target);
        if (!string.IsNullOrWhiteSpace(filter.Asset))
            query = query.Where(x => x.Asset.Contains(filter.Asset.Trim()));
        if (filter.Cursor is { } cursor)
        {
            var after = long.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture);
            query = query.Where(x => x.Request.Id > after);
        }
        var rows = await query.OrderBy(x => x.Request.Id).Take(limit + 1)
            .Select(x => new QueueItem(x.Request.Id, x.Team, x.Asset, x.Kind, x.Version, x.Request.Target, x.Request.RequestedBy, x.Request.CreatedAt, x.Request.IsRollbackReview))
            .ToListAsync(ct);
        var items = rows.Take(limit).ToList();
        return new Page<QueueItem>(items, rows.Count > limit ? items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    private static Error? Problems(QueueFilter filter)
    {
        var fields = new Dictionary<string, string[]>();
        if (Paging.LimitProblem(filter.Limit) is { } limit)
            fields["limit"] = [limit];
        if (filter.Kind is { } kind && !Enum.IsDefined(kind))
            fields["kind"] = ["Model, Dataset or PromptTemplate."];
        if (filter.Cursor is { } cursor && !(long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0))
            fields["cursor"] = [Paging.CursorMessage];
        if (Names.Problem(filter.Team, 64) is { } team)
            fields["team"] = [team];
        if (Names.Problem(filter.Target, 80) is { } target)
            fields["target"] = [target];
        if (Names.Problem(filter.Asset, 200) is { } asset)
            fields["asset"] = [asset];
        return fields.Count == 0 ? null : Paging.Invalid(fields);
    }

    /// <summary>How many requests wait for the caller: the badge in the navigation and the home page.</summary>
    public async Task<int> CountAsync(CallerAccess caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Decidable(db, caller).CountAsync(ct);
    }

    public async Task<Result<TransitionReview>> ReviewAsync(CallerAccess caller, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await TransitionService.WithSubjectAsync(db, id, ct) is not var (request, subject, _, _))
            return LifecycleErrors.NotFound(id);
        var target = subject.Target(request);
        var canDecide = caller.Allows(PortalAction.DecideTransitions, target);
        if (!canDecide && !caller.Allows(PortalAction.ReadAsset, target))
            return LifecycleErrors.NotFound(id);
        var view = TransitionService.View(request, subject, await TransitionService.DecisionsOf(db, [id]).ToListAsync(ct));
        var production = await PolicyFacts.BaselineAsync(db, request.AssetId, request.VersionId, ct);
        // The same values the policies judge: the latest summary value per metric and slice.
        var latest = await PolicyFacts.LatestMetricsAsync(db, production is null ? [request.VersionId] : [request.VersionId, production.Id], null, ct);
        var candidate = latest[request.VersionId];
        var baseline = production is null ? new Dictionary<(string Name, string Slice), MetricValue>() : latest[production.Id];
        var metrics = candidate.Keys.Union(baseline.Keys).Order()
            .Select(k => new MetricComparison(k.Name, k.Slice, candidate.TryGetValue(k, out var c) ? c.Value : null, baseline.TryGetValue(k, out var p) ? p.Value : null))
            .ToList();
        // A decider of another team (a risk team) judges the candidate with its own team's sources; other teams' private ones stay hidden.
        var upstream = await VisibleLineage.OfAsync(db, caller, request.VersionId, upstream: true, ct,
            alsoVisibleIn: canDecide ? target.TeamSlug : null);
        var card = await db.ModelCardRevisions.AsNoTracking().Where(r => r.VersionId == request.VersionId).OrderByDescending(r => r.Number)
            .Select(r => (int?)r.Completeness).FirstOrDefaultAsync(ct);
        var history = await VersionService.History(db, request.VersionId).Take(50).ToListAsync(ct);
        var open = canDecide && request.State == TransitionState.Pending && request.RequestedByPersonKey != caller.Actor.PersonKey;
        return new TransitionReview(view, production?.Version, metrics, upstream, card ?? 0, history, open);
    }

    // Member initialisation, not a constructor, so filters on the projection still translate to SQL.
    private sealed class Row
    {
        public required TransitionRequest Request { get; init; }
        public required string Team { get; init; }
        public required string Asset { get; init; }
        public AssetKind Kind { get; init; }
        public required string Version { get; init; }
    }

    /// <summary>Pending requests in the teams where the caller approves, or that name one of those teams; never their own.</summary>
    private static IQueryable<Row> Decidable(PortalDbContext db, CallerAccess caller)
    {
        var approverTeams = caller.Teams.Values.Where(t => caller.Allows(PortalAction.DecideTransitions, t.Slug)).ToList();
        var teamIds = approverTeams.Select(t => t.TeamId).ToList();
        var slugs = approverTeams.Select(t => t.Slug).ToList();
        var person = caller.Actor.PersonKey;
        // One "contains" per team the caller approves in: every provider translates that form.
        var inMyTeams = slugs.Aggregate((Expression<Func<TransitionRequest, bool>>)(r => teamIds.Contains(r.TeamId)),
            (either, slug) => Or(either, r => r.ApprovingTeams.Contains(slug)));
        return from r in db.TransitionRequests.AsNoTracking().Where(inMyTeams)
               where r.State == TransitionState.Pending && r.RequestedByPersonKey != person
                     && !db.TransitionDecisions.Any(d => d.RequestId == r.Id && d.PersonKey == person)
               join v in db.Versions on r.VersionId equals v.Id
               join a in db.Assets on r.AssetId equals a.Id
               join t in db.Teams on r.TeamId equals t.Id
               select new Row { Request = r, Team = t.Slug, Asset = a.Name, Kind = a.Kind, Version = v.Version };
    }

    private static Expression<Func<TransitionRequest, bool>> Or(Expression<Func<TransitionRequest, bool>> left, Expression<Func<TransitionRequest, bool>> right)
    {
        var body = Expression.OrElse(left.Body, new Rebind(right.Parameters[0], left.Parameters[0]).Visit(right.Body));
        return Expression.Lambda<Func<TransitionRequest, bool>>(body, left.Parameters[0]);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
