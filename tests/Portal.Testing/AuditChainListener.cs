using System.Diagnostics.Metrics;
using Portal.Core.Audit.Chain;

namespace Portal.Testing;

/// <summary>
/// Listens to the audit chain's lock wait and hold (<see cref="AuditChainMetrics"/>) of the portal in this process, in seconds: for the
/// benchmarks, where a call's time goes under many writers; for the tests, what one flow's saves reported.
/// </summary>
public sealed class AuditChainListener : IDisposable
{
    /// <summary>Sums and counts in ms, for a mean over a span of a run (subtract two readings).</summary>
    public sealed record Totals(double WaitMs, long Waits, double HoldMs, long Holds)
    {
        public static Totals operator -(Totals a, Totals b) => new(a.WaitMs - b.WaitMs, a.Waits - b.Waits, a.HoldMs - b.HoldMs, a.Holds - b.Holds);

        public double MeanWaitMs => Waits == 0 ? 0 : WaitMs / Waits;

        public double MeanHoldMs => Holds == 0 ? 0 : HoldMs / Holds;
    }

    private static readonly AsyncLocal<AuditChainListener?> Flow = new();
    private readonly MeterListener listener = new();
    private readonly Lock gate = new();
    private readonly List<double> waits = [];
    private readonly List<double> holds = [];

    /// <param name="thisFlowOnly">
    /// Only the measurements made in the creator's async flow: the meter is the process's and tests save in parallel, but a measurement
    /// is reported on the thread and in the execution context of the save that made it.
    /// </param>
    public AuditChainListener(bool thisFlowOnly = false)
    {
        if (thisFlowOnly)
            Flow.Value = this;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AuditChainMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
        {
            if (thisFlowOnly && Flow.Value != this)
                return;
            lock (gate)
                (instrument.Name == AuditChainMetrics.WaitName ? waits : holds).Add(seconds);
        });
        listener.Start();
    }

    public IReadOnlyList<double> Waits
    {
        get
        {
            lock (gate)
                return [.. waits];
        }
    }

    public IReadOnlyList<double> Holds
    {
        get
        {
            lock (gate)
                return [.. holds];
        }
    }

    public Totals Now()
    {
        lock (gate)
            return new Totals(waits.Sum() * 1000, waits.Count, holds.Sum() * 1000, holds.Count);
    }

    public void Dispose()
    {
        listener.Dispose();
        if (Flow.Value == this)
            Flow.Value = null;
    }
}
