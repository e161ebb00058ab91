namespace Portal.Web.Components.Shared;

/// <summary>One metric's chart: its lines (the first is the metric itself; others such as Production are for comparison).</summary>
public sealed record MetricChart(string Name, string? Caption, IReadOnlyList<ChartLine> Lines);

public sealed record ChartLine(string Name, IReadOnlyList<double?> Values);
