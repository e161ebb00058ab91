using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// How long audited saves wait for the audit chain and how long they hold it. Every audited write, on every portal instance, passes
/// through the chain's one lock (ADR-010), so with many concurrent writers this is where their time goes: each waits for the holds of
/// those before it. Exported with the portal's other metrics (OTLP) and readable with <c>dotnet-counters monitor --counters Portal.AuditChain</c>.
/// </summary>
public static class AuditChainMetrics
{
    public const string MeterName = "Portal.AuditChain";
    public const string WaitName = "portal.audit_chain.lock.wait.duration";
    public const string HoldName = "portal.audit_chain.lock.hold.duration";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Wait = Meter.CreateHistogram<double>(WaitName, "s",
        "From asking for the chain's lock to holding it with the chain's head read. On SQLite writers queue before their transaction "
        + "begins (ADR-014) and hold the database's write lock from its start, so there it is the head read alone. PostgreSQL takes the "
        + "lock in the trigger that numbers the events as the transaction commits (AuditChainNumbering): there the wait is part of the hold, and not "
        + "reported on its own.");

    private static readonly Histogram<double> Hold = Meter.CreateHistogram<double>(HoldName, "s",
        "From holding the chain's lock to the end of the transaction that releases it (commit or rollback): one audited save in the "
        + "chain's own transaction, or every save of a unit of work from its first audited one to the unit's commit. On PostgreSQL: from sending "
        + "the events' INSERT with the COMMIT in one command, whose trigger waits for the lock, to the answer.");

    internal static void RecordWait(long since) => Wait.Record(Stopwatch.GetElapsedTime(since).TotalSeconds);

    internal static void RecordHold(long since) => Hold.Record(Stopwatch.GetElapsedTime(since).TotalSeconds);
}
