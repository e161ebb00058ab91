namespace Portal.Core.Audit.Chain;

/// <summary>
/// Checks RFC 6962 proofs without the tree, following the verification algorithms of RFC 9162
/// (sections 2.1.3.2 and 2.1.4.2), so a dossier reader or another log can check them offline.
/// </summary>
public static class MerkleProofs
{
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size)
            return false;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleTree.HashChildren(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = MerkleTree.HashChildren(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize)
            return false;
        if (oldSize == newSize)
            return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        if (oldSize == 0)
            return proof.Count == 0;
        if (proof.Count == 0)
            return false;

        var path = new List<byte[]>(proof);
        // When the old tree is a complete left subtree, its root is the proof's implicit first node.
        if ((oldSize & (oldSize - 1)) == 0)
            path.Insert(0, oldRoot.ToArray());
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleTree.HashChildren(c, fr);
                sr = MerkleTree.HashChildren(c, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                sr = MerkleTree.HashChildren(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }
}
