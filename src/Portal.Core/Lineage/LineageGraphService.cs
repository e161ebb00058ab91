using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Lifecycle;
using Portal.Core.Versions;

namespace Portal.Core.Lineage;

/// <summary>
/// Transitive lineage around a version and what depends on it. The walk goes one level per query on
/// every provider, stops at versions the caller may not see (they become one nameless "restricted"
/// node per neighbour, so neither names nor counts leak) and at the depth limit.
/// </summary>
public sealed partial class LineageGraphService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int DefaultDepth = 10;
    public const int MaxDepth = 25;

    public async Task<Result<LineageGraph>> GetAsync(CallerAccess caller, string team, string asset, string version,
        LineageDirection direction = LineageDirection.Both, int depth = DefaultDepth, CancellationToken ct = default)
    {
        if (depth is < 1 or > MaxDepth)
            return Paging.Invalid(new Dictionary<string, string[]> { ["depth"] = [$"A depth from 1 to {MaxDepth}."] });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var walk = new LineageWalk(db, caller);
        var root = found.Value.Version.Id;
        await walk.AddRootAsync(root, ct);
        var truncated = false;
        if (direction is LineageDirection.Upstream or LineageDirection.Both)
            truncated |= await walk.WalkAsync(root, upstream: true, depth, ct);
        if (direction is LineageDirection.Downstream or LineageDirection.Both)
            truncated |= await walk.WalkAsync(root, upstream: false, depth, ct);
        return new LineageGraph(root.ToString(), walk.Nodes, walk.Links, depth, truncated);
    }

    /// <summary>Staging and Production versions the caller can see that depend on the version, nearest first.</summary>
    public async Task<Result<IReadOnlyList<ImpactedVersion>>> ImpactAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var via = $"{team}/{found.Value.Asset.Name}@{found.Value.Version.Version}";
        return await ImpactOfAsync(db, caller, [found.Value.Version.Id], via, ct);
    }

    /// <summary>
    /// Staging and Production versions built from a commit or a container image, directly or through
    /// anything built from them; only versions the caller can see are searched and listed.
    /// </summary>
    public async Task<Result<IReadOnlyList<ImpactedVersion>>> ImpactOfSourceAsync(CallerAccess caller, string? commit, string? image, CancellationToken ct = default)
    {
        commit = commit?.Trim().ToLowerInvariant();
        image = image?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(commit) == string.IsNullOrEmpty(image))
            return Paging.Invalid(new Dictionary<string, string[]> { ["commit"] = ["Give either a commit or an image digest."] });
        if (commit is not null && !CommitPattern().IsMatch(commit))
            return Paging.Invalid(new Dictionary<string, string[]> { ["commit"] = ["A git commit: 7 to 64 hexadecimal characters."] });
        if (image is not null && !DigestPattern().IsMatch(image))
            return Paging.Invalid(new Dictionary<string, string[]> { ["image"] = ["An image digest such as sha256:<64 hexadecimal characters>."] });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sources = await db.Versions.AsNoTracking()
            .Where(v => commit != null ? v.GitCommit == commit : v.ContainerImageDigest == image)
            .Select(v => v.Id).ToListAsync(ct);
        var walk = new LineageWalk(db, caller);
        var visible = await walk.VisibleAsync(sources, ct);
        return await ImpactOfAsync(db, caller, visible, commit is not null ? $"commit {commit}" : $"image {image}", ct, includeSources: true);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{7,64}$")]
    private static partial System.Text.RegularExpressions.Regex CommitPattern();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-f]{32,128}$")]
    private static partial System.Text.RegularExpressions.Regex DigestPattern();

    private static async Task<Result<IReadOnlyList<ImpactedVersion>>> ImpactOfAsync(PortalDbContext db, CallerAccess caller, IReadOnlyList<Guid> starts,
        string via, CancellationToken ct, bool includeSources = false)
    {
        var walk = new LineageWalk(db, caller);
        foreach (var start in starts)
            await walk.AddRootAsync(start, ct);
        foreach (var start in starts)
            await walk.WalkAsync(start, upstream: false, MaxDepth, ct);
        var impacted = walk.Nodes
            .Where(n => n.NodeKind == LineageNodeKind.Version && n.Stage is Stage.Staging or Stage.Production && (includeSources || n.Depth > 0))
            .OrderBy(n => n.Depth).ThenBy(n => n.Team).ThenBy(n => n.Asset).ThenBy(n => n.Version)
            .Select(n => new ImpactedVersion(n.Team!, n.Asset!, n.AssetKind!.Value, n.Version!, n.Stage!.Value, n.Depth, via))
            .ToList();
        return impacted;
    }
}
