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

    /// <summary>Every subtree hash the events' paths use, once each, by leaf range; null when a path does not have the expected shape.</summary>
    public static SortedDictionary<(long Start, long End), string>? Distinct(IEnumerable<ExportAuditEvent> events, long treeSize)
    {
        var nodes = new SortedDictionary<(long Start, long End), string>();
        foreach (var e in events)
        {
            var ranges = PathRanges(e.LeafIndex!.Value, treeSize);
            if (ranges.Count != e.InclusionProof!.Count)
                return null;
            for (var i = 0; i < ranges.Count; i++)
                nodes[ranges[i]] = e.InclusionProof[i];
        }
        return nodes;
    }
}
