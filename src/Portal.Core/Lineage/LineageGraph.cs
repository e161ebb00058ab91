using Portal.Core.Assets;
using Portal.Core.Lifecycle;
using Portal.Core.Versions;

namespace Portal.Core.Lineage;

public enum LineageDirection
{
    Upstream = 1,
    Downstream = 2,
    Both = 3,
}

public enum LineageNodeKind
{
    Version = 1,
    Commit = 2,
    ContainerImage = 3,
    PipelineRun = 4,
    /// <summary>Versions the caller may not see, collapsed into one node with no name, kind or count.</summary>
    Restricted = 5,
}

/// <summary>
/// A node of the graph. <see cref="Key"/> is the version id for versions, <c>commit:…</c>, <c>image:…</c>,
/// <c>run:…</c> for sources, and an opaque per-answer key for a restricted node.
/// </summary>
public sealed record LineageNode(string Key, LineageNodeKind NodeKind, int Depth, string? Team = null, string? Asset = null, AssetKind? AssetKind = null,
    string? Version = null, VersionStatus? Status = null, Stage? Stage = null, string? Label = null);

/// <summary><see cref="From"/> is upstream of <see cref="To"/>.</summary>
public sealed record LineageLink(string From, string To, string Kind);

/// <summary>
/// The lineage around a version. <see cref="Truncated"/>: the depth limit stopped the walk while
/// visible versions still had links beyond it.
/// </summary>
public sealed record LineageGraph(string Root, IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageLink> Links, int Depth, bool Truncated);

/// <summary>A Staging or Production version that depends, directly or transitively, on what was asked about.</summary>
public sealed record ImpactedVersion(string Team, string Asset, AssetKind AssetKind, string Version, Stage Stage, int Distance, string Via);
