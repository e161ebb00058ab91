namespace Portal.Core.Archiving;

/// <summary>
/// A team's lifecycle rule for stale versions; the row without a team is the PlatformAdmins' default,
/// used by every team that has none of its own.
/// </summary>
public sealed class ArchiveRule
{
    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>Null for the platform default.</summary>
    public Guid? TeamId { get; set; }
    /// <summary>A version younger than this (days since it was registered) is never archived.</summary>
    public int MinAgeDays { get; set; } = 180;
    /// <summary>A version whose files were downloaded within this many days is in use and stays.</summary>
    public int UnusedForDays { get; set; } = 90;
    /// <summary>Days an archived version is kept (restorable) before a TeamAdmin may purge it.</summary>
    public int RetentionDays { get; set; } = 365;
    /// <summary>When set, the nightly run archives what the rule finds; when not, only a TeamAdmin's run does.</summary>
    public bool Enabled { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public int Revision { get; set; } = 1;

    public const int MaxDays = 36_500;

    /// <summary>The rule in force when neither the team nor the platform saved one.</summary>
    public static ArchiveRule BuiltIn() => new() { UpdatedBy = "built-in" };
}

public sealed record ArchiveRuleInput(int MinAgeDays, int UnusedForDays, int RetentionDays, bool Enabled);

/// <summary>The rule in force for a team and where it comes from: <c>team</c>, <c>platform</c> or <c>built-in</c>.</summary>
public sealed record ArchiveRuleView(int MinAgeDays, int UnusedForDays, int RetentionDays, bool Enabled, string Source, DateTimeOffset? UpdatedAt, string UpdatedBy,
    bool CanEdit)
{
    public static ArchiveRuleView From(ArchiveRule rule, string source, bool canEdit) =>
        new(rule.MinAgeDays, rule.UnusedForDays, rule.RetentionDays, rule.Enabled, source, source == "built-in" ? null : rule.UpdatedAt, rule.UpdatedBy, canEdit);
}
