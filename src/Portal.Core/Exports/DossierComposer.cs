using System.Globalization;

namespace Portal.Core.Exports;

/// <summary>Lays the dossier's content out as a printable document: the same content the JSON export holds.</summary>
internal static class DossierComposer
{
    public static ReportDocument Compose(DossierContent d)
    {
        var a = d.Asset;
        var blocks = new List<ReportBlock>
        {
            new HeadingBlock($"Asset dossier: {a.Team}/{a.Name}"),
            new KeyValueBlock(ExportText.HeaderPairs(d.Export)),
            new HeadingBlock("Asset"),
            new KeyValueBlock(
            [
                new("Team", a.Team), new("Name", a.Name), new("Kind", a.Kind), new("Owner", a.Owner),
                new("Description", ExportText.OrNone(a.Description)), new("Tags", ExportText.List(a.Tags)),
                new("Created", $"{ExportText.Time(a.CreatedAt)} by {a.CreatedBy}"), new("Shared with", ExportText.List(a.SharedWith)),
            ]),
            new HeadingBlock("Model card"),
        };
        if (d.ModelCard is { } card)
        {
            blocks.Add(new ParagraphBlock($"Version {card.Version}, revision {card.Revision}, {card.Completeness}% complete, saved {ExportText.Time(card.SavedAt)} by {card.SavedBy}.", Muted: true));
            blocks.Add(new KeyValueBlock(card.Sections));
        }
        else
        {
            blocks.Add(new ParagraphBlock("None recorded.", Muted: true));
        }

        blocks.Add(new HeadingBlock("Versions"));
        blocks.Add(ExportText.TableOrNone(d.Versions.Count,
            [new("Version", 1.1f), new("Status", 0.9f), new("Stage", 1f), new("Aliases", 1f), new("Registered", 2.2f), new("Card", 0.6f), new("Commit", 1.6f, true)],
            d.Versions.Select(v => (IReadOnlyList<string>)[v.Version, v.Status, v.Stage, ExportText.List(v.Aliases), $"{ExportText.Cell(v.CreatedAt)} by {v.CreatedBy}",
                v.ModelCardCompleteness is { } c ? c + "%" : "none", v.GitCommit ?? ""])));

        blocks.Add(new HeadingBlock("Stage history"));
        blocks.Add(ExportText.TableOrNone(d.StageHistory.Count,
            [new("Version", 1f), new("From → to", 1.6f), new("When", 1.5f), new("By", 1.3f), new("Request", 0.7f), new("Reason", 2f)],
            d.StageHistory.Select(s => (IReadOnlyList<string>)[s.Version, $"{s.From} → {s.To}", ExportText.Cell(s.At), s.By,
                s.RequestId is { } r ? "#" + r.ToString(CultureInfo.InvariantCulture) : "", s.Reason])));

        blocks.Add(new HeadingBlock("Lineage"));
        blocks.Add(ExportText.TableOrNone(d.Lineage.Count,
            [new("Version", 1f), new("Direction", 1f), new("Kind", 1.2f), new("Other version", 3.5f)],
            d.Lineage.Select(l => (IReadOnlyList<string>)[l.Version, l.Direction, l.Kind, l.Other])));

        blocks.Add(new HeadingBlock("Metrics by slice"));
        blocks.Add(ExportText.TableOrNone(d.Metrics.Count,
            [new("Version", 1f), new("Metric", 1.5f), new("Slice", 1.5f), new("Source", 1.1f), new("Value", 1f), new("Recorded", 1.6f)],
            d.Metrics.Select(m => (IReadOnlyList<string>)[m.Version, m.Name, m.Slice.Length == 0 ? "(overall)" : m.Slice, m.Source,
                m.Value.ToString("0.####", CultureInfo.InvariantCulture), ExportText.Cell(m.RecordedAt)])));

        blocks.Add(new HeadingBlock("Golden-check runs"));
        blocks.Add(ExportText.TableOrNone(d.GoldenRuns.Count,
            [new("Version", 0.9f), new("Check", 1.1f), new("Result", 0.7f), new("Completed", 1.4f), new("Data", 1.6f, true), new("Model SHA-256", 1.6f, true), new("Rows", 0.7f), new("Not met", 1.6f)],
            d.GoldenRuns.Select(g => (IReadOnlyList<string>)[g.Version, g.Check, g.Passed ? "passed" : "failed", ExportText.Cell(g.CompletedAt),
                $"{g.DatasetVersion} {g.DatasetSha256[..16]}…", g.ModelSha256[..16] + "…", g.RowCount.ToString("N0", CultureInfo.InvariantCulture), ExportText.List(g.NotMet)])));

        blocks.Add(new HeadingBlock("Transition requests, approvals and policy results"));
        if (d.Transitions.Count == 0)
            blocks.Add(new ParagraphBlock("None recorded.", Muted: true));
        foreach (var t in d.Transitions)
            AddTransition(blocks, t);

        blocks.Add(new HeadingBlock("Audit events"));
        blocks.Add(new ParagraphBlock("Every recorded change and sensitive read of this asset and its versions, in the order of the audit log. "
            + "The hash is the event's link in the hash chain: SHA-256(previous hash ‖ canonical bytes of the event).", Muted: true));
        blocks.Add(ExportText.TableOrNone(d.AuditEvents.Count,
            // Widths chosen so a time fits one line and a SHA-256 exactly two.
            [new("Seq", 0.4f, true), new("When", 1.3f), new("Actor", 1.05f), new("Action", 1.35f), new("Subject", 0.7f), new("Hash (SHA-256)", 2.1f, true)],
            d.AuditEvents.Select(e => (IReadOnlyList<string>)[e.Sequence.ToString(CultureInfo.InvariantCulture), ExportText.Cell(e.OccurredAt), e.Actor, e.Action,
                e.Subject, e.Hash ?? "not recorded"])));

        blocks.Add(new HeadingBlock("Integrity: checkpoint, inclusion proofs and verification"));
        blocks.Add(new ParagraphBlock(d.Integrity.Status));
        blocks.Add(new KeyValueBlock(d.Integrity.Facts));
        blocks.Add(new ParagraphBlock(ExportIntegrity.HowToCheck, Muted: true));
        AddProofs(blocks, d);

        return new ReportDocument($"Asset dossier: {a.Team}/{a.Name}", $"Issued to {d.Export.IssuedTo}, {ExportText.Time(d.Export.GeneratedAt)}",
            $"Portal export {d.Export.ExportId}", blocks);
    }

    /// <summary>Leaf hashes of the covered events, then each subtree hash their audit paths need, once (<see cref="ProofNodes"/>).</summary>
    private static void AddProofs(List<ReportBlock> blocks, DossierContent d)
    {
        blocks.Add(new HeadingBlock("Inclusion proofs", Level: 2));
        // An event is covered when its leaf is inside the checkpoint's tree (its path is in the subtree table).
        var size = d.Integrity.CheckpointTreeSize ?? 0;
        var proven = d.AuditEvents.Where(e => e.LeafIndex < size).ToList();
        var nodes = d.Integrity.ProofSubtrees;
        if (nodes is null || proven.Count == 0)
        {
            blocks.Add(new ParagraphBlock("None recorded: no signed checkpoint covers these events yet.", Muted: true));
            return;
        }
        blocks.Add(new TableBlock([new("Seq", 0.6f, true), new("Leaf index", 0.8f, true), new("Leaf hash: SHA-256(0x00 ‖ canonical bytes)", 4f, true)],
            proven.Select(e => (IReadOnlyList<string>)[e.Sequence.ToString(CultureInfo.InvariantCulture), e.LeafIndex!.Value.ToString(CultureInfo.InvariantCulture),
                e.LeafHash!])) { Small = true });
        blocks.Add(new TableBlock([new("Subtree leaves [from, to)", 1.4f, true), new("Subtree hash", 4f, true)],
            nodes.Select(n => (IReadOnlyList<string>)[$"[{n.Key.Start}, {n.Key.End})", n.Value])) { Small = true });
    }

    private static void AddTransition(List<ReportBlock> blocks, DossierTransition t)
    {
        blocks.Add(new HeadingBlock($"Request #{t.Id}: {t.Version} → {t.Target} ({t.State})", Level: 2));
        blocks.Add(new KeyValueBlock(
        [
            new("Requested", $"{ExportText.Time(t.RequestedAt)} by {t.RequestedBy}"),
            new("Justification", ExportText.OrNone(t.Justification)),
            new("Closed", t.ClosedAt is { } c ? $"{ExportText.Time(c)} by {t.ClosedBy ?? "?"}" : "open"),
            .. t.CloseReason is { Length: > 0 } reason ? [new KeyValuePair<string, string>("Close reason", reason)] : Array.Empty<KeyValuePair<string, string>>(),
            .. t.IsRollbackReview ? [new KeyValuePair<string, string>("Kind", "Review of a rollback")] : Array.Empty<KeyValuePair<string, string>>(),
        ]));
        if (t.Decisions.Count > 0)
            blocks.Add(new TableBlock(
                [new("Decision", 0.8f), new("By", 1.3f), new("Counts for", 1.3f), new("When", 1.4f), new("Comment", 3f)],
                t.Decisions.Select(x => (IReadOnlyList<string>)[x.Approved ? "Approved" : "Rejected", x.By, $"{x.Team} {x.Role}", ExportText.Cell(x.At), x.Comment]).ToList()));
        if (t.PolicyResults.Count > 0)
            blocks.Add(new TableBlock(
                [new("Policy", 1.6f), new("Rule", 1.6f), new("Result", 0.95f), new("Explanation", 3.2f)],
                t.PolicyResults.Select(r => (IReadOnlyList<string>)[$"{r.Policy} r{r.PolicyRevision}", r.Rule, r.Outcome.ToString(), r.Explanation]).ToList()));
    }
}
