using Portal.Core.Audit;

namespace Portal.Core.Exports;

/// <summary>
/// The subtrees an RFC 6962 audit path is made of. Paths of neighbouring events share most of their
/// subtrees, so the printed dossier lists each subtree hash once, by the leaves it spans, instead of
/// every event's full path (which made a 5,000-event dossier over a thousand pages).
/// </summary>
internal static class ProofNodes
{
    /// <summary>RFC 6962 §2.1.1 PATH(m, D[n]) as the leaf ranges [start, end) of its subtrees, leaf to root.</summary>
    public static List<(long Start, long End)> PathRanges(long m, long n)
    {
        var ranges = new List<(long, long)>();
        Walk(m, 0, n, ranges);
        return ranges;
    }

    private static void Walk(long m, long start, long n, List<(long, long)> ranges)
    {
        if (n <= 1)
            return;
        var k = 1L << (int)(63 - long.LeadingZeroCount(n - 1));
        if (m < k)
        {
            Walk(m, start, k, ranges);
            ranges.Add((start + k, start + n));
        }
        else
        {
            Walk(m - k, start + k, n - k, ranges);
            ranges.Add((start, start + k));
        }
    }

    /// <summary>
    /// Every subtree hash the events' paths use, once each, by leaf range (hex); null when a path does not have the expected
    /// shape. Events without a path (newer than the checkpoint) are skipped.
    /// </summary>
    public static SortedDictionary<(long Start, long End), string>? Distinct(IEnumerable<ProvenAuditEvent> events, long treeSize)
    {
        var nodes = new SortedDictionary<(long Start, long End), string>();
        foreach (var e in events)
        {
            if (e.InclusionProof is not { } path)
                continue;
            var ranges = PathRanges(e.LeafIndex, treeSize);
            if (ranges.Count != path.Count)
                return null;
            for (var i = 0; i < ranges.Count; i++)
            {
                // Neighbouring events share most of their path: each subtree is spelled in hex once.
                if (!nodes.ContainsKey(ranges[i]))
                    nodes[ranges[i]] = Convert.ToHexStringLower(path[i]);
            }
        }
        return nodes;
    }
}
