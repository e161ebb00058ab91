using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Versions;

namespace Portal.Core.Archiving;

/// <summary>A version the rule would archive now, with why: each clause of the rule it meets, in words.</summary>
public sealed record ArchiveCandidate(Guid VersionId, string Asset, AssetKind Kind, string Version, DateTimeOffset CreatedAt, DateTimeOffset? LastDownloadedAt,
    int Files, long Bytes, IReadOnlyList<string> Reasons);

/// <summary>
/// The one statement of what is stale, used by the dry run and by the real run alike, so the run archives
/// exactly what the preview listed at that moment: a Ready version of the team in no stage (not Staging,
/// not Production, not already Archived), older than the rule's age, not downloaded for its days, with no
/// alias on it, no legal hold, not the golden dataset of a golden check, and not upstream (through any
/// number of lineage edges) of a Staging or Production version of any team.
/// </summary>
internal static class ArchiveCandidates
{
    private const int Chunk = 500;

    public static async Task<IReadOnlyList<ArchiveCandidate>> FindAsync(PortalDbContext db, Guid teamId, ArchiveRule rule, DateTimeOffset now, CancellationToken ct)
    {
        var bornBefore = now.AddDays(-rule.MinAgeDays);
        var usedSince = now.AddDays(-rule.UnusedForDays);
        var stale = db.Versions.AsNoTracking()
            .Where(v => v.TeamId == teamId && v.Stage == Stage.None && v.Status == VersionStatus.Ready && !v.LegalHold && v.ArchivedAt == null
                && v.CreatedAt < bornBefore && (v.LastDownloadedAt == null || v.LastDownloadedAt < usedSince)
                && !db.Aliases.Any(a => a.VersionId == v.Id) && !db.GoldenChecks.Any(c => c.DatasetVersionId == v.Id));
        var rows = await stale.Join(db.Assets, v => v.AssetId, a => a.Id, (v, a) => new { v.Id, Asset = a.Name, a.Kind, v.Version, v.CreatedAt, v.LastDownloadedAt })
            .ToListAsync(ct);
        if (rows.Count == 0)
            return [];
        var sizes = await stale.Join(db.Artifacts, v => v.Id, a => a.VersionId, (v, a) => new { a.VersionId, a.Size })
            .GroupBy(x => x.VersionId).Select(g => new { g.Key, Files = g.Count(), Bytes = g.Sum(x => x.Size) })
            .ToDictionaryAsync(x => x.Key, ct);
        var feeding = await UpstreamOfStagedAsync(db, ct);
        return rows.Where(r => !feeding.Contains(r.Id))
            .OrderBy(r => r.Asset, StringComparer.Ordinal).ThenBy(r => r.CreatedAt)
            .Select(r => new ArchiveCandidate(r.Id, r.Asset, r.Kind, r.Version, r.CreatedAt, r.LastDownloadedAt,
                sizes.TryGetValue(r.Id, out var s) ? s.Files : 0, sizes.TryGetValue(r.Id, out var b) ? b.Bytes : 0,
                Reasons(rule, now, r.CreatedAt, r.LastDownloadedAt)))
            .ToList();
    }

    /// <summary>Every version that a Staging or Production version was built from, directly or through others: one query per lineage level.</summary>
    private static async Task<HashSet<Guid>> UpstreamOfStagedAsync(PortalDbContext db, CancellationToken ct)
    {
        var frontier = await db.Versions.AsNoTracking().Where(v => v.Stage == Stage.Staging || v.Stage == Stage.Production).Select(v => v.Id).ToListAsync(ct);
        var seen = new HashSet<Guid>(frontier);
        var upstream = new HashSet<Guid>();
        while (frontier.Count > 0)
        {
            var next = new List<Guid>();
            foreach (var chunk in frontier.Chunk(Chunk))
            {
                var ups = await db.LineageEdges.AsNoTracking().Where(e => chunk.Contains(e.VersionId)).Select(e => e.UpstreamVersionId).ToListAsync(ct);
                next.AddRange(ups.Where(seen.Add));
            }
            upstream.UnionWith(next);
            frontier = next;
        }
        return upstream;
    }

    private static List<string> Reasons(ArchiveRule rule, DateTimeOffset now, DateTimeOffset created, DateTimeOffset? downloaded) =>
    [
        $"age {Days(now - created)} days (rule: more than {rule.MinAgeDays})",
        downloaded is { } at
            ? $"last download {Days(now - at)} days ago (rule: none for {rule.UnusedForDays})"
            : $"never downloaded (rule: none for {rule.UnusedForDays} days)",
        "in no stage, no alias, no legal hold, no golden check's data, not upstream of Staging or Production",
    ];

    private static int Days(TimeSpan span) => (int)Math.Floor(span.TotalDays);
}
