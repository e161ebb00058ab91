namespace Portal.Core.Lifecycle;

/// <summary>
/// Tells open pages in this process that a request was made or decided, so queue counts update
/// while they are open. Other instances catch up on their next render.
/// </summary>
public sealed class ApprovalSignal
{
    public event Action? QueueChanged;

    /// <summary>
    /// The pages re-read their counts as callers of their own, off the thread and the flow of the unit of work that changed the
    /// queue: run inline they would lease a connection while that unit of work still holds its own, and wait on its thread.
    /// </summary>
    public void Changed()
    {
        if (QueueChanged is not { } handlers)
            return;
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(handlers);
    }
}
