using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Core.Teams;

/// <summary>The asset (and version) an activity row is about, by name: an event keeps its subject's id, which tells a reader nothing.</summary>
public sealed record ActivitySubject(string Asset, string? Version);

internal static class ActivitySubjects
{
    private const string VersionSubject = "version";
    private const string AssetSubject = "asset";

    /// <summary>Names the rows about a version or an asset, two reads for the whole list; a subject since deleted keeps its id.</summary>
    public static async Task<List<ActivityItem>> NameAsync(PortalDbContext db, IReadOnlyList<ActivityItem> items, CancellationToken ct)
    {
        var versionIds = Ids(items, VersionSubject);
        var assetIds = Ids(items, AssetSubject);
        var versions = versionIds.Count == 0 ? [] : await db.Versions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Join(db.Assets, v => v.AssetId, a => a.Id, (v, a) => new { v.Id, Asset = a.Name, v.Version })
            .ToDictionaryAsync(x => x.Id, x => new ActivitySubject(x.Asset, x.Version), ct);
        var assets = assetIds.Count == 0 ? [] : await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new ActivitySubject(a.Name, null), ct);
        return items.Select(i => Guid.TryParse(i.SubjectId, out var id)
                && (i.SubjectType == VersionSubject ? versions : i.SubjectType == AssetSubject ? assets : null)?.GetValueOrDefault(id) is { } subject
            ? i with { Subject = subject }
            : i).ToList();
    }

    private static List<Guid> Ids(IReadOnlyList<ActivityItem> items, string subjectType) =>
        items.Where(i => i.SubjectType == subjectType).Select(i => Guid.TryParse(i.SubjectId, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
}
