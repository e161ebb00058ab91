using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Versions;

/// <summary>A version's lineage in lists (the version's answer and page, the review screen, the rollback dialog), as far as the caller may read it.</summary>
internal static class VisibleLineage
{
    /// <summary>
    /// The versions this one came from (<paramref name="upstream"/>) or that came from it, leaving out another team's private asset,
    /// in either direction and after a share is revoked (the lineage graph shows such a node as Restricted).
    /// </summary>
    /// <param name="alsoVisibleIn">A team whose assets are shown whatever the caller's roles: the one whose request a cross-team approver decides.</param>
    public static async Task<List<LineageView>> OfAsync(PortalDbContext db, CallerAccess caller, Guid versionId, bool upstream, CancellationToken ct,
        string? alsoVisibleIn = null)
    {
        var edges = upstream ? db.LineageEdges.Where(e => e.VersionId == versionId) : db.LineageEdges.Where(e => e.UpstreamVersionId == versionId);
        var rows = await (
            from e in edges
            join v in db.Versions on (upstream ? e.UpstreamVersionId : e.VersionId) equals v.Id
            join a in db.Assets on v.AssetId equals a.Id
            join t in db.Teams on a.TeamId equals t.Id
            orderby e.Kind, a.Name
            select new { View = new LineageView(e.Kind, t.Slug, a.Name, a.Kind, v.Version, v.Status), AssetId = a.Id }).ToListAsync(ct);
        var visible = new List<LineageView>(rows.Count);
        foreach (var row in rows)
        {
            if (row.View.Team == alsoVisibleIn || await RegistryAccess.CanReadAsync(db, caller, row.View.Team, row.AssetId, ct))
                visible.Add(row.View);
        }
        return visible;
    }
}
