using Portal.Core.Common;

namespace Portal.Core.Lifecycle;

/// <summary>Closes pending requests nobody decided within the configured age. Safe to run twice.</summary>
public sealed class ExpireTransitionRequestsJob(TransitionService transitions, LifecycleOptions options)
{
    public const string Id = "expire-transition-requests";

    public Task<int> RunAsync(CancellationToken ct) => transitions.ExpireStaleAsync(Actor.Job(Id), options.RequestMaxAgeDays, ct);
}
