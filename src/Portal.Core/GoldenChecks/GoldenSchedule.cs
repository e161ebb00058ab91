namespace Portal.Core.GoldenChecks;

/// <summary>Keeps a check's recurring run in the scheduler in step with its definition; null removes it.</summary>
public interface IGoldenSchedule
{
    void Apply(Guid checkId, string? cron);
}
