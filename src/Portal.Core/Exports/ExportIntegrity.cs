using Portal.Core.Audit;

namespace Portal.Core.Exports;

/// <summary>
/// The integrity part of a dossier: each event's link in the hash chain, the checkpoint covering the
/// events, their inclusion proofs and the verification result, read from the audit chain.
/// </summary>
internal static class ExportIntegrity
{
    /// <summary>The event's chain hash; this build of the audit log keeps none yet.</summary>
    public static string? HashOf(AuditEvent e) => null;

    public static DossierIntegrity For(IReadOnlyList<ExportAuditEvent> events) => new(
        "not recorded: this portal's audit log keeps no hash chain or signed checkpoints yet",
        [
            new("Events in this dossier", events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("First sequence", events.Count == 0 ? "none" : events[0].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Last sequence", events.Count == 0 ? "none" : events[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Checkpoint", "none recorded"),
            new("Inclusion proofs", "none recorded"),
            new("Verification", "none recorded"),
        ]);
}
