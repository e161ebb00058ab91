using System.Globalization;
using Portal.Core.Audit;

namespace Portal.Core.Exports;

/// <summary>
/// The integrity part of a dossier, from the audit chain's proof bundle: each event's chain hash, leaf
/// hash and RFC 6962 inclusion proof, the signed checkpoint that covers them, and the verification of
/// the whole chain when the dossier was made.
/// </summary>
internal static class ExportIntegrity
{
    /// <param name="withPath">Spell the event's audit path (the JSON edition); the PDF prints each subtree once instead (<see cref="DossierIntegrity.ProofSubtrees"/>).</param>
    public static ExportAuditEvent Event(ProvenAuditEvent p, Func<AuditEvent, string> subject, bool withPath) => new(p.Sequence, p.Event.OccurredAt,
        p.Event.ActorName, p.Event.Action, subject(p.Event), p.Event.Before, p.Event.After, Hex(p.ChainHash))
    {
        LeafIndex = p.LeafIndex,
        LeafHash = Hex(p.LeafHash),
        InclusionProof = withPath ? p.InclusionProof?.Select(Hex).ToList() : null,
    };

    public static DossierIntegrity For(AuditProofBundle bundle)
    {
        var v = bundle.Verification;
        var facts = new List<KeyValuePair<string, string>>
        {
            new("Verification", (v.IsValid ? "Intact. " : "FAILED. ") + v.Message),
            new("Verified at", ExportText.Time(v.CheckedAt)),
            new("Events checked", v.EventsChecked.ToString(CultureInfo.InvariantCulture)),
            new("Checkpoints checked", v.CheckpointsChecked.ToString(CultureInfo.InvariantCulture)),
        };
        if (v.FirstBadSequence is { } bad)
            facts.Add(new("First bad sequence", bad.ToString(CultureInfo.InvariantCulture)));
        var proven = bundle.Events.Count(e => e.InclusionProof is not null);
        facts.Add(new("Events of this dossier", bundle.Events.Count.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("Covered by the checkpoint", $"{proven} (with inclusion proofs); {bundle.Events.Count - proven} newer, to be covered by the next checkpoint"));
        if (bundle.Checkpoint is { } c)
        {
            facts.Add(new("Checkpoint tree size", c.TreeSize.ToString(CultureInfo.InvariantCulture)));
            facts.Add(new("Checkpoint root hash", Hex(c.RootHash)));
            facts.Add(new("Checkpoint head", $"sequence {c.HeadSequence}, hash {Hex(c.HeadHash)}"));
            facts.Add(new("Checkpoint issued", ExportText.Time(c.IssuedAt)));
            facts.Add(new("Checkpoint file", c.FileName));
            facts.Add(new("Signature (ECDSA P-256, r‖s)", Convert.ToBase64String(c.Signature)));
            facts.Add(new("Public key (SPKI, base64)", Convert.ToBase64String(c.PublicKey)));
            facts.Add(new("Signature valid", c.SignatureIsValid() ? "yes" : "NO"));
        }
        else
        {
            facts.Add(new("Checkpoint", "none recorded yet: the first signed checkpoint will cover these events"));
        }
        // Failure first: a failed verification drops the checkpoints it could not reach, and must not then read as "verified".
        var status = !v.IsValid ? "Verification FAILED: see below."
            : bundle.Checkpoint is null ? "The chain was verified; no signed checkpoint covers these events yet."
            : "The chain was verified and these events are included in the signed checkpoint below.";
        return new DossierIntegrity(status, facts)
        {
            CheckpointTreeSize = bundle.Checkpoint?.TreeSize,
            ProofSubtrees = bundle.Checkpoint is { } covering ? ProofNodes.Distinct(bundle.Events, covering.TreeSize) : null,
        };
    }

    /// <summary>How to check this dossier without the portal (the canonical form is in ADR-010).</summary>
    public const string HowToCheck =
        "To check offline: for each event, leaf hash = SHA-256(0x00 ‖ canonical bytes of the event); with its leaf index and the checkpoint's tree size, "
        + "take the subtrees of its audit path, PATH(m, D[n]) of RFC 6962 §2.1.1, from the table of subtree hashes below (listed once each, by the leaves "
        + "they span), and fold them (node = SHA-256(0x01 ‖ left ‖ right)); the result must equal the checkpoint's root hash, "
        + "whose signature verifies with the published public key over the checkpoint's signed text. The chain hash of an event is "
        + "SHA-256(previous chain hash ‖ canonical bytes). An event's leaf index is its sequence minus one. The JSON edition of this dossier "
        + "holds the same values with each event's audit path spelled out.";

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
