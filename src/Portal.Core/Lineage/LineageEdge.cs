namespace Portal.Core.Lineage;

public enum LineageKind
{
    TrainedOn = 1,
    EvaluatedOn = 2,
    FineTunedFrom = 3,
    UsesPrompt = 4,
    DerivedFrom = 5,
}

/// <summary>The version <see cref="VersionId"/> came from <see cref="UpstreamVersionId"/>. Recorded at registration, immutable.</summary>
public sealed class LineageEdge
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid VersionId { get; set; }
    public Guid UpstreamVersionId { get; set; }
    public LineageKind Kind { get; set; }
}
