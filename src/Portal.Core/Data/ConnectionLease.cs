namespace Portal.Core.Data;

/// <summary>
/// One unit of work's open connection, known to the async flow that leased it. A flow that leases a second connection while
/// its first is still open holds one pooled connection while it waits for another: under load every request can hold one and
/// wait for a second until the pool is empty and all of them time out (measured: 32 API clients against a pool of 16 connections
/// answered 500 after 15 seconds, because a token's check read its issuer's roles with the token's context still open).
/// </summary>
public sealed class ConnectionLease
{
    private static readonly AsyncLocal<ConnectionLease?> Current = new();

    private readonly ConnectionLease? _outer;
    private volatile bool _ended;

    private ConnectionLease(ConnectionLease? outer) => _outer = outer;

    /// <summary>
    /// Starts a lease in the caller's flow; it must be called synchronously by the code that hands out the context (an async
    /// method's changes to the flow do not reach its caller). <paramref name="nested"/> tells whether one is still open there.
    /// </summary>
    public static ConnectionLease Begin(out bool nested)
    {
        var open = Current.Value;
        while (open is { _ended: true })
            open = open._outer;
        nested = open is not null;
        return Current.Value = new ConnectionLease(open);
    }

    public void End() => _ended = true;

    /// <summary>
    /// From here on the calling async method and what it calls count as a caller of their own, as a second request would (tests
    /// that hold two units of work at once on purpose). The caller's own flow is untouched: an async method's changes stay in it.
    /// </summary>
    public static void ActAsAnotherCaller() => Current.Value = null;
}
