using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Portal.Core.Audit.Chain;
using Portal.Core.Audit.Checkpoints;

namespace Portal.Core.Audit.Verification;

/// <summary>
/// Checks a chain read in sequence order against itself and against signed checkpoints. One pass
/// over the events recomputes every hash (an edit, an insertion or a reordering breaks the chain at
/// the first touched event, a deletion leaves a missing sequence); then each checkpoint's signature,
/// its tree head and chain head (a chain rewritten after a checkpoint no longer matches it, and
/// events deleted from the end leave it covering events that are gone), and the consistency of each
/// checkpoint with the next (the log only grew). Shared by the portal and the command-line verifier.
/// </summary>
public sealed class AuditChainVerifier
{
    private byte[] _leafHashes = new byte[32 * 1024];
    private readonly List<byte[]> _chainHashes = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private byte[] _previous = AuditCanonicalForm.GenesisHash.ToArray();
    private long _expected = 1;
    private (long Sequence, string Message)? _failure;

    /// <summary>How many events verified so far, and the chain hash of the last of them.</summary>
    public long Count => _expected - 1;
    public byte[] HeadHash => _previous;

    /// <summary>Checks the next event; false once the chain is broken (later events are not read).</summary>
    public bool Add(AuditEvent e)
    {
        if (_failure is not null)
            return false;
        if (e.Sequence != _expected)
        {
            _failure = e.Sequence > _expected
                ? (_expected, $"Sequence {_expected} is missing: the next event present is {e.Sequence}.")
                : (e.Sequence, $"Sequence {e.Sequence} appears out of order (after {_expected - 1}).");
            return false;
        }
        // One buffer [1 spare][previous hash 32][canonical...]: the chain hash reads from byte 1, then byte 32
        // becomes the 0x00 leaf prefix and the leaf hash reads from there, so neither hash copies the event.
        _buffer.ResetWrittenCount();
        _previous.CopyTo(_buffer.GetSpan(33)[1..]);
        _buffer.Advance(33);
        try
        {
            AuditCanonicalForm.Write(e, _buffer);
        }
        catch (Exception ex) when (IsUnreadableRow(ex))
        {
            Unreadable(ex.GetType().Name);
            return false;
        }
        var written = _buffer.WrittenMemory.Span;
        var hash = SHA256.HashData(written[1..]);
        if (!hash.AsSpan().SequenceEqual(e.Hash))
        {
            _failure = (e.Sequence, $"Sequence {e.Sequence}: its hash does not match its content and the previous event's hash (edited, inserted or moved).");
            return false;
        }
        MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span[32] = 0x00;
        var at = (int)(_expected - 1) * 32;
        if (at + 32 > _leafHashes.Length)
            Array.Resize(ref _leafHashes, _leafHashes.Length * 2);
        SHA256.HashData(written[32..], _leafHashes.AsSpan(at, 32));
        _chainHashes.Add(hash);
        _previous = hash;
        _expected++;
        return true;
    }

    /// <summary>
    /// The next event could not be read or put in canonical form (a stored value outside its type, written around the portal): the
    /// chain breaks there, as it does at an edit, instead of the verification throwing and recording nothing.
    /// </summary>
    public void Unreadable(string why) =>
        _failure ??= (_expected, $"Sequence {_expected}: the stored event cannot be read ({why}): its row was changed outside the portal.");

    /// <summary>What reading or encoding a row throws when a stored value is outside its type.</summary>
    public static bool IsUnreadableRow(Exception ex) => ex is InvalidOperationException or FormatException or InvalidCastException or ArgumentException
        or OverflowException;

    public AuditVerificationResult Finish(IReadOnlyList<AuditCheckpoint> checkpoints, DateTimeOffset at, byte[]? trustedPublicKey = null)
    {
        var count = _expected - 1;
        var ordered = checkpoints.OrderBy(c => c.TreeSize).ToList();
        if (_failure is { } broken)
            return AuditVerificationResult.Invalid(count, 0, broken.Sequence, broken.Message, at);

        var tree = Tree();
        AuditCheckpoint? previous = null;
        foreach (var checkpoint in ordered)
        {
            var name = checkpoint.FileName;
            if (!checkpoint.SignatureIsValid())
                return Fail(checkpoint.TreeSize, $"Checkpoint {name}: its signature is not valid.");
            if (trustedPublicKey is not null && !checkpoint.PublicKey.AsSpan().SequenceEqual(trustedPublicKey))
                return Fail(checkpoint.TreeSize, $"Checkpoint {name}: signed by a key other than the portal's.");
            if (checkpoint.TreeSize > count)
                return Fail(count + 1, $"Sequence {count + 1} is missing: the chain ends at {count} but signed checkpoint {name} covers {checkpoint.TreeSize} events (events deleted from the end).");
            var goodUpTo = previous?.TreeSize ?? 0;
            if (!tree.Root(checkpoint.TreeSize).AsSpan().SequenceEqual(checkpoint.RootHash) ||
                !_chainHashes[(int)checkpoint.TreeSize - 1].AsSpan().SequenceEqual(checkpoint.HeadHash))
                return Fail(goodUpTo + 1, $"Sequence {goodUpTo + 1}: the events {goodUpTo + 1}..{checkpoint.TreeSize} no longer match signed checkpoint {name} (the chain was rewritten after it was signed).");
            if (previous is not null)
            {
                var proof = tree.ConsistencyProof(previous.TreeSize, checkpoint.TreeSize);
                if (!MerkleProofs.VerifyConsistency(previous.TreeSize, checkpoint.TreeSize, previous.RootHash, checkpoint.RootHash, proof))
                    return Fail(goodUpTo + 1, $"Checkpoint {name} is not consistent with {previous.FileName}: the log did not only grow.");
            }
            previous = checkpoint;
        }
        return AuditVerificationResult.Valid(count, ordered.Count, at);

        AuditVerificationResult Fail(long sequence, string message) =>
            AuditVerificationResult.Invalid(count, ordered.Count, sequence, message, at);
    }

    /// <summary>The tree over every verified event, for proofs after a successful check.</summary>
    public MerkleTree Tree() => new(_leafHashes, (int)Count);
}
