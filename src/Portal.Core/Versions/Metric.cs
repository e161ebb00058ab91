namespace Portal.Core.Versions;

public enum MetricSource
{
    Training = 1,
    Evaluation = 2,
    GoldenCheck = 3,
    Production = 4,
}

/// <summary>One measured value of a version, append-only; optionally for a slice such as <c>sex=female</c>.</summary>
public sealed class Metric
{
    public long Id { get; set; }
    public Guid VersionId { get; set; }
    public required string Name { get; set; }
    public double Value { get; set; }
    public string Slice { get; set; } = "";
    public long? Step { get; set; }
    public MetricSource Source { get; set; }
    /// <summary>For a golden-check figure: the run that measured it.</summary>
    public Guid? RunId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedBy { get; set; }
}
