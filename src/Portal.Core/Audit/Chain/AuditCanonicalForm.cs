using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Common;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// The canonical bytes of an audit event and the hashes built on them, exactly as ADR-010 writes
/// them down: a fixed field order, big-endian integers, times as whole milliseconds since the Unix
/// epoch in UTC, and every text as a 4-byte length followed by its UTF-8 bytes (0xFFFFFFFF for null).
/// Length prefixes instead of JSON keep the form unambiguous and cheap to re-implement elsewhere.
/// </summary>
public static class AuditCanonicalForm
{
    public const byte FormatVersion = 1;
    public const int HashSize = 32;

    /// <summary>The chain's start: the "previous hash" of sequence 1.</summary>
    public static ReadOnlySpan<byte> GenesisHash => new byte[HashSize];

    public static byte[] Bytes(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(e, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The canonical bytes after the format version and the sequence: what PostgreSQL's trigger hashes behind the two when it numbers
    /// the event (AuditChainNumbering), so the form is written in one place.
    /// </summary>
    public static byte[] AfterSequence(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteAfterSequence(e, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the canonical bytes into a caller's buffer, so verifying a long chain allocates little.</summary>
    public static void Write(AuditEvent e, IBufferWriter<byte> output)
    {
        var head = output.GetSpan(9);
        head[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(head[1..], e.Sequence);
        output.Advance(9);
        WriteAfterSequence(e, output);
    }

    private static void WriteAfterSequence(AuditEvent e, IBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), e.OccurredAt.ToUnixTimeMilliseconds());
        output.Advance(8);
        WriteText(output, ActorKindText(e.ActorKind));
        WriteText(output, e.ActorId);
        WriteText(output, e.ActorName);
        WriteText(output, e.Action);
        WriteText(output, e.SubjectType);
        WriteText(output, e.SubjectId);
        WriteGuid(output, e.TeamId);
        WriteText(output, e.Before);
        WriteText(output, e.After);
        WriteText(output, e.CorrelationId);
        WriteText(output, e.ClientAddress);
    }

    /// <summary><c>SHA-256(previous ‖ canonical)</c>: the event's link in the chain.</summary>
    public static byte[] ChainHash(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> canonical)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        sha.AppendData(canonical);
        return sha.GetHashAndReset();
    }

    /// <summary>The event's RFC 6962 leaf hash, <c>SHA-256(0x00 ‖ canonical)</c>.</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> canonical) => MerkleTree.HashLeaf(canonical);

    /// <summary>Times are kept to the millisecond, the finest every provider stores exactly, so the hash survives a round trip.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset at) =>
        DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static string ActorKindText(ActorKind kind) => kind switch
    {
        ActorKind.User => "User",
        ActorKind.ServicePrincipal => "ServicePrincipal",
        ActorKind.Job => "Job",
        ActorKind.System => "System",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown actor kind."),
    };

    private static void WriteText(IBufferWriter<byte> output, string? text)
    {
        if (text is null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), uint.MaxValue);
            output.Advance(4);
            return;
        }
        // Encoded straight into the output, then the length written in front: one pass over the text.
        var span = output.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        output.Advance(4 + length);
    }

    /// <summary>A GUID as its 36-character lowercase "D" text, like any other text field.</summary>
    private static void WriteGuid(IBufferWriter<byte> output, Guid? id)
    {
        if (id is not { } value)
        {
            WriteText(output, null);
            return;
        }
        var span = output.GetSpan(40);
        value.TryFormat(span[4..], out var length, "D");
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        output.Advance(4 + length);
    }
}
