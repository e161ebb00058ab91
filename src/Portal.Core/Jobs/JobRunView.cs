namespace Portal.Core.Jobs;

public sealed record JobRunView(Guid Id, string Kind, string SubjectType, string SubjectId, string SubjectLabel, JobRunState State, int Progress,
    string? Reason, string Trigger, string RequestedBy, bool External, string? ClaimedBy, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int Attempt, string? SummaryJson)
{
    public static readonly System.Linq.Expressions.Expression<Func<JobRun, JobRunView>> From = r => new JobRunView(r.Id, r.Kind, r.SubjectType,
        r.SubjectId, r.SubjectLabel, r.State, r.Progress, r.Reason, r.Trigger, r.RequestedBy, r.External, r.ClaimedBy, r.QueuedAt, r.StartedAt,
        r.FinishedAt, r.Attempt, r.SummaryJson);

    public bool IsFinished => State is JobRunState.Succeeded or JobRunState.Failed;
}
