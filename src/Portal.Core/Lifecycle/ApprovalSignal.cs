namespace Portal.Core.Lifecycle;

/// <summary>
/// Tells open pages in this process that a request was made or decided, so queue counts update
/// while they are open. Other instances catch up on their next render.
/// </summary>
public sealed class ApprovalSignal
{
    public event Action? QueueChanged;

    public void Changed() => QueueChanged?.Invoke();
}
