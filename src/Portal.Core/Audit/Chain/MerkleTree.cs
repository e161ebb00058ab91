using System.Security.Cryptography;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// The RFC 6962 Merkle tree over the audit events' leaf hashes: leaf <c>SHA-256(0x00 ‖ leaf)</c>,
/// node <c>SHA-256(0x01 ‖ left ‖ right)</c>. Built bottom-up once (an unpaired last node is carried
/// up unchanged, which gives the same tree as the RFC's recursive split), so roots and proofs for
/// any size up to <see cref="Size"/> cost a few hashes each.
/// </summary>
public sealed class MerkleTree
{
    private readonly List<byte[]>[] _levels;

    public MerkleTree(IReadOnlyList<byte[]> leafHashes)
    {
        var levels = new List<List<byte[]>> { new(leafHashes) };
        while (levels[^1].Count > 1)
        {
            var below = levels[^1];
            var above = new List<byte[]>((below.Count + 1) / 2);
            for (var i = 0; i + 1 < below.Count; i += 2)
                above.Add(HashChildren(below[i], below[i + 1]));
            if (below.Count % 2 == 1)
                above.Add(below[^1]);
            levels.Add(above);
        }
        _levels = [.. levels];
    }

    public long Size => _levels[0].Count;

    public static byte[] EmptyRoot { get; } = SHA256.HashData([]);

    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        Span<byte> prefix = [0x00];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(prefix);
        sha.AppendData(leaf);
        return sha.GetHashAndReset();
    }

    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The tree head of the first <paramref name="size"/> leaves.</summary>
    public byte[] Root(long size)
    {
        CheckSize(size);
        return size == 0 ? EmptyRoot : SubtreeHash(0, size);
    }

    public byte[] Root() => Root(Size);

    /// <summary>RFC 6962 PATH(m, D[size]): the audit path proving leaf <paramref name="index"/> is in the tree of <paramref name="size"/> leaves.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        CheckSize(size);
        if (index < 0 || index >= size)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Leaf index must be below the tree size {size}.");
        var proof = new List<byte[]>();
        Path(index, 0, size, proof);
        return proof;
    }

    /// <summary>RFC 6962 PROOF(m, D[n]): proves the tree of <paramref name="oldSize"/> leaves is a prefix of the tree of <paramref name="newSize"/>.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize)
    {
        CheckSize(newSize);
        if (oldSize < 0 || oldSize > newSize)
            throw new ArgumentOutOfRangeException(nameof(oldSize), oldSize, "The old size must be between 0 and the new size.");
        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
            SubProof(oldSize, 0, newSize, true, proof);
        return proof;
    }

    private void Path(long index, long start, long size, List<byte[]> proof)
    {
        if (size <= 1)
            return;
        var k = LargestPowerOfTwoBelow(size);
        if (index < k)
        {
            Path(index, start, k, proof);
            proof.Add(SubtreeHash(start + k, size - k));
        }
        else
        {
            Path(index - k, start + k, size - k, proof);
            proof.Add(SubtreeHash(start, k));
        }
    }

    private void SubProof(long m, long start, long n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete)
                proof.Add(SubtreeHash(start, n));
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, k, complete, proof);
            proof.Add(SubtreeHash(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(SubtreeHash(start, k));
        }
    }

    /// <summary>MTH of leaves [start, start+count): read from the levels when the range is an aligned full block, split as the RFC does otherwise.</summary>
    private byte[] SubtreeHash(long start, long count)
    {
        if ((count & (count - 1)) == 0 && start % count == 0)
        {
            var level = System.Numerics.BitOperations.Log2((ulong)count);
            return _levels[level][(int)(start / count)];
        }
        var k = LargestPowerOfTwoBelow(count);
        return HashChildren(SubtreeHash(start, k), SubtreeHash(start + k, count - k));
    }

    private void CheckSize(long size)
    {
        if (size < 0 || size > Size)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The tree holds {Size} leaves.");
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2).</summary>
    internal static long LargestPowerOfTwoBelow(long n) => (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)n) >> 1;
}
