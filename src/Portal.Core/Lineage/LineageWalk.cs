using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Lifecycle;
using Portal.Core.Versions;

namespace Portal.Core.Lineage;

/// <summary>One breadth-first walk over lineage edges, a level per query, asking the gate about every version it reaches.</summary>
internal sealed class LineageWalk(PortalDbContext db, CallerAccess caller)
{
    private sealed record Row(Guid Id, string Team, string Asset, Guid AssetId, AssetKind Kind, string Version, VersionStatus Status, Stage Stage,
        string? Commit, string? Image, string? Run);

    private readonly Dictionary<string, LineageNode> _nodes = [];
    private readonly HashSet<LineageLink> _links = [];
    private HashSet<Guid>? _sharedWithCaller;
    private int _restricted;

    public IReadOnlyList<LineageNode> Nodes => [.. _nodes.Values.OrderBy(n => n.Depth).ThenBy(n => n.Key, StringComparer.Ordinal)];
    public IReadOnlyList<LineageLink> Links => [.. _links];

    public async Task AddRootAsync(Guid id, CancellationToken ct)
    {
        var rows = await LoadAsync([id], ct);
        AddVersion(rows[id], 0);
    }

    public async Task<IReadOnlyList<Guid>> VisibleAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var visible = new List<Guid>();
        foreach (var row in (await LoadAsync(ids, ct)).Values)
            if (await CanSeeAsync(row, ct))
                visible.Add(row.Id);
        return visible;
    }

    /// <summary>Walks up or down from the root; true when the depth limit left visible links unwalked.</summary>
    public async Task<bool> WalkAsync(Guid root, bool upstream, int depth, CancellationToken ct)
    {
        var frontier = new List<Guid> { root };
        var seen = new HashSet<Guid> { root };
        for (var level = 1; level <= depth && frontier.Count > 0; level++)
        {
            // One round trip per level: the edges and the versions they reach, with their asset and team.
            var reachedRows = await ReachedAsync(frontier, upstream, ct);
            var edges = reachedRows.Select(x => x.Edge).ToList();
            var rows = reachedRows.Select(x => x.Row).DistinctBy(r => r.Id).ToDictionary(r => r.Id);
            var restrictedBeside = new Dictionary<Guid, string>();
            var next = new List<Guid>();
            foreach (var edge in edges)
            {
                var known = upstream ? edge.VersionId : edge.UpstreamVersionId;
                var reached = rows[upstream ? edge.UpstreamVersionId : edge.VersionId];
                string reachedKey;
                var kind = edge.Kind.ToString();
                if (await CanSeeAsync(reached, ct))
                {
                    AddVersion(reached, level);
                    reachedKey = reached.Id.ToString();
                    if (seen.Add(reached.Id))
                        next.Add(reached.Id);
                }
                else
                {
                    // All hidden neighbours of a node share one nameless node: how many there are stays hidden too.
                    if (!restrictedBeside.TryGetValue(known, out reachedKey!))
                    {
                        reachedKey = $"restricted-{++_restricted}";
                        restrictedBeside[known] = reachedKey;
                        _nodes[reachedKey] = new LineageNode(reachedKey, LineageNodeKind.Restricted, level, Label: "Restricted");
                    }
                    kind = "Restricted";
                }
                _links.Add(upstream ? new LineageLink(reachedKey, known.ToString(), kind) : new LineageLink(known.ToString(), reachedKey, kind));
            }
            frontier = next;
        }
        return frontier.Count > 0 && await EdgesFrom(frontier, upstream).AnyAsync(ct);
    }

    private IQueryable<LineageEdge> EdgesFrom(List<Guid> frontier, bool upstream) =>
        upstream
            ? db.LineageEdges.AsNoTracking().Where(e => frontier.Contains(e.VersionId))
            : db.LineageEdges.AsNoTracking().Where(e => frontier.Contains(e.UpstreamVersionId));

    private void AddVersion(Row row, int depth)
    {
        var key = row.Id.ToString();
        if (_nodes.TryGetValue(key, out var known) && known.Depth <= depth)
            return;
        _nodes[key] = new LineageNode(key, LineageNodeKind.Version, depth, row.Team, row.Asset, row.Kind, row.Version, row.Status, row.Stage, $"{row.Asset}@{row.Version}");
        AddSource(row, LineageNodeKind.Commit, row.Commit is { } commit ? ("commit:" + commit, "commit " + commit[..Math.Min(12, commit.Length)]) : null, depth);
        AddSource(row, LineageNodeKind.ContainerImage, row.Image is { } image ? ("image:" + image, "image " + image[..Math.Min(19, image.Length)]) : null, depth);
        AddSource(row, LineageNodeKind.PipelineRun, row.Run is { } run ? ("run:" + run, "pipeline run") : null, depth);
    }

    private void AddSource(Row row, LineageNodeKind kind, (string Key, string Label)? source, int depth)
    {
        if (source is not { } s)
            return;
        _nodes.TryAdd(s.Key, new LineageNode(s.Key, kind, depth + 1, Label: s.Label));
        _links.Add(new LineageLink(s.Key, row.Id.ToString(), "BuiltFrom"));
    }

    private async Task<bool> CanSeeAsync(Row row, CancellationToken ct)
    {
        _sharedWithCaller ??= await RegistryAccess.SharedWithAsync(db, caller, ct);
        return caller.Allows(PortalAction.ReadAsset, AccessTarget.Asset(row.Team, row.Asset, _sharedWithCaller.Contains(row.AssetId)));
    }

    private sealed record Reached(LineageEdge Edge, Row Row);

    private Task<List<Reached>> ReachedAsync(List<Guid> frontier, bool upstream, CancellationToken ct)
    {
        // Two plain joins rather than one on a conditional key, so each side keeps its index.
        var pairs = upstream
            ? from e in EdgesFrom(frontier, true) join v in db.Versions on e.UpstreamVersionId equals v.Id select new { e, v }
            : from e in EdgesFrom(frontier, false) join v in db.Versions on e.VersionId equals v.Id select new { e, v };
        return (from p in pairs
                join a in db.Assets on p.v.AssetId equals a.Id
                join t in db.Teams on a.TeamId equals t.Id
                select new Reached(p.e, new Row(p.v.Id, t.Slug, a.Name, a.Id, a.Kind, p.v.Version, p.v.Status, p.v.Stage, p.v.GitCommit,
                    p.v.ContainerImageDigest, p.v.PipelineRunUrl)))
            .ToListAsync(ct);
    }

    private async Task<Dictionary<Guid, Row>> LoadAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await (from v in db.Versions.AsNoTracking()
               where ids.Contains(v.Id)
               join a in db.Assets on v.AssetId equals a.Id
               join t in db.Teams on a.TeamId equals t.Id
               select new Row(v.Id, t.Slug, a.Name, a.Id, a.Kind, v.Version, v.Status, v.Stage, v.GitCommit, v.ContainerImageDigest, v.PipelineRunUrl))
            .ToDictionaryAsync(r => r.Id, ct);
}
