namespace Portal.Core.GoldenChecks;

/// <summary>
/// A run's time and memory limits: the token is cancelled when the time is up or when the process has
/// grown by more than the memory limit since the run began (native allocations of a model runtime
/// included, which the GC alone would not see). Inputs larger than the limit are refused before loading.
/// </summary>
public sealed class RunLimits : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly Timer _watch;
    private readonly long _memoryLimit;
    private readonly long _baseline = Environment.WorkingSet;

    public RunLimits(int timeoutSeconds, int memoryLimitMb, CancellationToken outer)
    {
        _memoryLimit = memoryLimitMb * 1024L * 1024;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _cts.Token.Register(() => Reason ??= outer.IsCancellationRequested ? null : $"The run exceeded its time limit of {timeoutSeconds} s.");
        _cts.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        _watch = new Timer(_ => Sample(memoryLimitMb), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public CancellationToken Token => _cts.Token;
    /// <summary>Why the run was stopped, in a sentence for the Jobs page.</summary>
    public string? Reason { get; private set; }

    public void Admit(long bytes, string what)
    {
        if (bytes > _memoryLimit)
            throw new GoldenCheckException($"The {what} ({bytes / (1024 * 1024)} MB) is larger than the check's memory limit of {_memoryLimit / (1024 * 1024)} MB.");
    }

    private void Sample(int memoryLimitMb)
    {
        if (Environment.WorkingSet - _baseline <= _memoryLimit || _cts.IsCancellationRequested)
            return;
        Reason = $"The run exceeded its memory limit of {memoryLimitMb} MB.";
        _cts.Cancel();
    }

    public void Dispose()
    {
        _watch.Dispose();
        _cts.Dispose();
    }
}
