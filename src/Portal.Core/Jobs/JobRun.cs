using Portal.Core.Common;

namespace Portal.Core.Jobs;

public enum JobRunState
{
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
}

/// <summary>
/// One run of a background job (a golden check, an archive run...), as the portal's durable intent:
/// Hangfire only executes a run id. The team's Jobs page lists these rows, whatever the kind.
/// </summary>
public sealed class JobRun
{
    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>What runs: <see cref="JobKinds"/> (<c>golden-check</c>, <c>archive</c>...).</summary>
    public required string Kind { get; set; }
    public Guid TeamId { get; set; }
    /// <summary>What the run is about, for the Jobs page and links: a type (<c>asset</c>, <c>version</c>, <c>team</c>) and an id.</summary>
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    /// <summary>A short human label of the subject ("churn 1.2.0"), kept so the list needs no join per kind.</summary>
    public string SubjectLabel { get; set; } = "";
    /// <summary>The kind's own definition row (a golden-check definition, an archive rule set), when there is one.</summary>
    public Guid? DefinitionId { get; set; }
    public JobRunState State { get; set; } = JobRunState.Queued;
    /// <summary>0 to 100, written as the run goes.</summary>
    public int Progress { get; set; }
    /// <summary>Why it failed, in a sentence a user can act on; null unless failed.</summary>
    public string? Reason { get; set; }
    /// <summary>How it was started: <c>schedule</c>, <c>on-demand</c>, <c>version-ready</c>, <c>api</c>...</summary>
    public required string Trigger { get; set; }
    public required string RequestedBy { get; set; }
    /// <summary>
    /// Unique per (kind, key) when set: a second start with the same key (the same cron tick, the same
    /// version becoming Ready, an API Idempotency-Key) finds the first run instead of adding one.
    /// </summary>
    public string? IdempotencyKey { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>A run not finished by then is failed by the sweeper ("timed out"), so no run stays Running forever.</summary>
    public DateTimeOffset? DeadlineAt { get; set; }
    /// <summary>Counts starts: a re-run after a kill bumps it; the kind's result writer keys results by run id, not attempt.</summary>
    public int Attempt { get; set; }
    /// <summary>A kind's small summary of the outcome as JSON (counts, figures), shown on the Jobs page.</summary>
    public string? SummaryJson { get; set; }
    /// <summary>True when no worker of the portal runs it: an external runner claims it through the API.</summary>
    public bool External { get; set; }
    /// <summary>
    /// For a run left to an external runner: the SHA-256 of the one-time ticket handed out when it was claimed.
    /// The ticket lets that runner alone read the run's files and post its results, once.
    /// </summary>
    public string? TicketHash { get; set; }
    /// <summary>Who claimed an external run (the runner's token name), for the Jobs page.</summary>
    public string? ClaimedBy { get; set; }
    public int Revision { get; set; } = 1;

    public bool IsFinished => State is JobRunState.Succeeded or JobRunState.Failed;

    /// <summary>
    /// A worker takes the run: from Queued, or from Running again after a kill (the re-run case).
    /// False when it already finished, so a replayed Hangfire job does nothing.
    /// </summary>
    public bool Claim(DateTimeOffset now)
    {
        if (IsFinished)
            return false;
        State = JobRunState.Running;
        StartedAt ??= now;
        Attempt++;
        Revision++;
        return true;
    }

    public void ReportProgress(int percent) => Progress = Math.Clamp(percent, 0, 100);

    public void Succeed(DateTimeOffset now, string? summaryJson)
    {
        State = JobRunState.Succeeded;
        Progress = 100;
        Reason = null;
        SummaryJson = summaryJson;
        FinishedAt = now;
        Revision++;
    }

    /// <summary>The reason's column; a reason quoting a runtime's message or a list of columns is cut to it.</summary>
    public const int MaxReasonLength = 2000;

    public void Fail(DateTimeOffset now, string reason)
    {
        State = JobRunState.Failed;
        Reason = Names.Cut(reason, MaxReasonLength);
        FinishedAt = now;
        Revision++;
    }
}

public static class JobKinds
{
    public const string GoldenCheck = "golden-check";
    public const string Archive = "archive";
}
