using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Lineage;

public sealed record ManifestArtifact(string Path, long Size, string Sha256);

/// <summary>An upstream version exactly as it was used; a restricted one carries no name, only that it exists.</summary>
public sealed record ManifestUpstream(string Relation, bool Restricted, string? Team, string? Asset, AssetKind? AssetKind, string? Version,
    string? ExternalUri, string? ExternalHash, IReadOnlyList<ManifestArtifact> Artifacts);

/// <summary>
/// Everything recorded to rebuild a version: its code, image, pipeline run, parameters, its own
/// artifacts and the exact upstream versions with their content hashes. <see cref="Missing"/> names
/// what was not recorded, so a reader knows the rebuild is incomplete before trying it.
/// </summary>
public sealed record ReproducibilityManifest(string Format, string Team, string Asset, AssetKind AssetKind, string Version,
    string? GitRepository, string? GitCommit, string? ContainerImageDigest, string? PipelineRunUrl, IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<ManifestArtifact> Artifacts, IReadOnlyList<ManifestUpstream> Upstream, IReadOnlyList<string> Missing);

public sealed class ReproducibilityService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const string Format = "portal-reproducibility/1";

    public async Task<Result<ReproducibilityManifest>> GetAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        var upstream = await (from e in db.LineageEdges.AsNoTracking()
                              where e.VersionId == v.Id
                              join u in db.Versions on e.UpstreamVersionId equals u.Id
                              join a in db.Assets on u.AssetId equals a.Id
                              join t in db.Teams on a.TeamId equals t.Id
                              orderby e.Kind, a.Name
                              select new { Relation = e.Kind, u.Id, Team = t.Slug, AssetId = a.Id, Asset = a.Name, AssetKind = a.Kind, u.Version, u.ExternalUri, u.ExternalHash })
            .ToListAsync(ct);
        var ids = upstream.Select(u => u.Id).Append(v.Id).ToList();
        var artifacts = (await db.Artifacts.AsNoTracking().Where(a => ids.Contains(a.VersionId)).OrderBy(a => a.Path)
                .Select(a => new { a.VersionId, a.Path, a.Size, a.Sha256 }).ToListAsync(ct))
            .ToLookup(a => a.VersionId, a => new ManifestArtifact(a.Path, a.Size, a.Sha256));
        var entries = new List<ManifestUpstream>();
        foreach (var u in upstream)
            entries.Add(await RegistryAccess.CanReadAsync(db, caller, u.Team, u.AssetId, ct)
                ? new ManifestUpstream(u.Relation.ToString(), false, u.Team, u.Asset, u.AssetKind, u.Version, u.ExternalUri, u.ExternalHash, [.. artifacts[u.Id]])
                : new ManifestUpstream(u.Relation.ToString(), true, null, null, null, null, null, null, []));
        return new ReproducibilityManifest(Format, team, found.Value.Asset.Name, found.Value.Asset.Kind, v.Version, v.GitRepository, v.GitCommit,
            v.ContainerImageDigest, v.PipelineRunUrl, v.Parameters, [.. artifacts[v.Id]], entries, Missing(v, entries));
    }

    private static List<string> Missing(AssetVersion v, List<ManifestUpstream> upstream)
    {
        var missing = new List<string>();
        if (v.GitCommit is null)
            missing.Add("No code commit was recorded.");
        if (v.ContainerImageDigest is null)
            missing.Add("No container image digest was recorded.");
        if (v.PipelineRunUrl is null)
            missing.Add("No pipeline run was recorded.");
        if (upstream.Any(u => u.Restricted))
            missing.Add("Some upstream versions belong to teams you are not a member of: ask them for access.");
        return missing;
    }
}
