namespace Portal.Core.Lifecycle;

/// <summary>Where a Ready version stands: None → Staging → Production → Archived.</summary>
public enum Stage
{
    None = 0,
    Staging = 1,
    Production = 2,
    Archived = 3,
}
