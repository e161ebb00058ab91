using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Core.Teams;

/// <summary>The asset (and version) an activity row or audit event is about, by name: an event keeps its subject's id, which tells a reader nothing.</summary>
public sealed record ActivitySubject(string Asset, string? Version);

internal static class ActivitySubjects
{
    private const string VersionSubject = "version";
    private const string AssetSubject = "asset";

    /// <summary>Names the rows about a version or an asset; a subject since deleted keeps its id.</summary>
    public static async Task<List<ActivityItem>> NameAsync(PortalDbContext db, IReadOnlyList<ActivityItem> items, CancellationToken ct)
    {
        var names = await LookupAsync(db, items.Select(i => (i.SubjectType, i.SubjectId)), ct);
        return items.Select(i => names.GetValueOrDefault((i.SubjectType, i.SubjectId)) is { } subject ? i with { Subject = subject } : i).ToList();
    }

    /// <summary>The names of the versions and assets among these subjects, two reads for any number of them; other subject types are left out.</summary>
    public static async Task<IReadOnlyDictionary<(string Type, string Id), ActivitySubject>> LookupAsync(PortalDbContext db,
        IEnumerable<(string Type, string Id)> subjects, CancellationToken ct)
    {
        var all = subjects.ToList();
        var versionIds = Ids(all, VersionSubject);
        var assetIds = Ids(all, AssetSubject);
        var versions = versionIds.Count == 0 ? [] : await db.Versions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Join(db.Assets, v => v.AssetId, a => a.Id, (v, a) => new { v.Id, Asset = a.Name, v.Version })
            .ToDictionaryAsync(x => x.Id, x => new ActivitySubject(x.Asset, x.Version), ct);
        var assets = assetIds.Count == 0 ? [] : await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new ActivitySubject(a.Name, null), ct);
        var names = new Dictionary<(string Type, string Id), ActivitySubject>();
        foreach (var (type, id) in all.Distinct())
        {
            if (Guid.TryParse(id, out var key) && (type == VersionSubject ? versions : type == AssetSubject ? assets : null)?.GetValueOrDefault(key) is { } subject)
                names[(type, id)] = subject;
        }
        return names;
    }

    private static List<Guid> Ids(IEnumerable<(string Type, string Id)> subjects, string subjectType) =>
        subjects.Where(s => s.Type == subjectType).Select(s => Guid.TryParse(s.Id, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
}
