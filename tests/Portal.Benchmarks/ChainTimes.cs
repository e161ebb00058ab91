using System.Diagnostics.Metrics;
using Portal.Core.Audit.Chain;

namespace Portal.Benchmarks;

/// <summary>
/// Sums the audit chain's lock wait and hold (<see cref="AuditChainMetrics"/>) of the portal in this process while it listens:
/// at many concurrent writers they say whether a call's time goes to its own work or to queueing for the chain.
/// </summary>
internal sealed class ChainTimes : IDisposable
{
    internal sealed record Totals(double WaitMs, long Waits, double HoldMs, long Holds)
    {
        public static Totals operator -(Totals a, Totals b) => new(a.WaitMs - b.WaitMs, a.Waits - b.Waits, a.HoldMs - b.HoldMs, a.Holds - b.Holds);

        public double MeanWaitMs => Waits == 0 ? 0 : WaitMs / Waits;

        public double MeanHoldMs => Holds == 0 ? 0 : HoldMs / Holds;
    }

    private readonly MeterListener listener = new();
    private readonly Lock gate = new();
    private Totals totals = new(0, 0, 0, 0);

    public ChainTimes()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AuditChainMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
        {
            lock (gate)
                totals = instrument.Name == AuditChainMetrics.WaitName
                    ? totals with { WaitMs = totals.WaitMs + seconds * 1000, Waits = totals.Waits + 1 }
                    : totals with { HoldMs = totals.HoldMs + seconds * 1000, Holds = totals.Holds + 1 };
        });
        listener.Start();
    }

    public Totals Now()
    {
        lock (gate)
            return totals;
    }

    public void Dispose() => listener.Dispose();
}
