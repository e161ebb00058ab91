using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Core.Audit.Checkpoints;

/// <summary>
/// A signed statement of the log at one moment: the chain head (sequence and hash) and the RFC 6962
/// tree head over the first <see cref="TreeSize"/> events. The signature covers <see cref="SignedText"/>
/// (ADR-010), ECDSA P-256 with SHA-256, IEEE P1363 format (r ‖ s, 64 bytes).
/// </summary>
public sealed record AuditCheckpoint(
    long TreeSize,
    byte[] RootHash,
    long HeadSequence,
    byte[] HeadHash,
    DateTimeOffset IssuedAt,
    byte[] PublicKey,
    byte[] Signature)
{
    public const string Format = "portal-audit-checkpoint/v1";

    /// <summary>The file name in the checkpoint store; zero-padded so names sort by tree size.</summary>
    public string FileName => FileNameFor(TreeSize);

    public static string FileNameFor(long treeSize) => $"checkpoint-{treeSize:D12}.json";

    public string SignedText => SignedTextFor(TreeSize, RootHash, HeadSequence, HeadHash, IssuedAt);

    public static string SignedTextFor(long treeSize, byte[] rootHash, long headSequence, byte[] headHash, DateTimeOffset issuedAt) =>
        new StringBuilder()
            .Append(Format).Append('\n')
            .Append("tree-size ").Append(treeSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("root-hash ").Append(Convert.ToHexStringLower(rootHash)).Append('\n')
            .Append("head-sequence ").Append(headSequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("head-hash ").Append(Convert.ToHexStringLower(headHash)).Append('\n')
            .Append("issued-at ").Append(FormatTime(issuedAt)).Append('\n')
            .ToString();

    public static string FormatTime(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Whether the signature is valid for this checkpoint's own public key.</summary>
    public bool SignatureIsValid()
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(PublicKey, out _);
            return key.KeySize == 256 &&
                key.VerifyData(Encoding.UTF8.GetBytes(SignedText), Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new CheckpointFile(
        Format, TreeSize, Convert.ToHexStringLower(RootHash), HeadSequence, Convert.ToHexStringLower(HeadHash),
        FormatTime(IssuedAt), Convert.ToBase64String(PublicKey), Convert.ToBase64String(Signature)), FileJson);

    /// <summary>Reads a checkpoint file; a malformed one is a message naming what is wrong, never an exception.</summary>
    public static CheckpointParse Parse(ReadOnlySpan<byte> json, string source)
    {
        CheckpointFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CheckpointFile>(json, FileJson);
        }
        catch (JsonException e)
        {
            return CheckpointParse.Failed($"{source}: not a checkpoint file (invalid JSON at line {(e.LineNumber ?? 0) + 1}).");
        }
        if (file is null || file.Format != Format)
            return CheckpointParse.Failed($"{source}: not a checkpoint file (\"format\" must be \"{Format}\").");
        if (file.TreeSize < 1 || file.HeadSequence != file.TreeSize)
            return CheckpointParse.Failed($"{source}: \"treeSize\" must be at least 1 and equal \"headSequence\".");
        if (!TryHash(file.RootHash, out var root))
            return CheckpointParse.Failed($"{source}: \"rootHash\" must be 64 hexadecimal characters.");
        if (!TryHash(file.HeadHash, out var head))
            return CheckpointParse.Failed($"{source}: \"headHash\" must be 64 hexadecimal characters.");
        if (!DateTimeOffset.TryParseExact(file.IssuedAt, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var issuedAt))
            return CheckpointParse.Failed($"{source}: \"issuedAt\" must be a UTC time like 2026-01-31T12:00:00.000Z.");
        if (!TryBase64(file.PublicKey, out var publicKey))
            return CheckpointParse.Failed($"{source}: \"publicKey\" must be base64.");
        if (!TryBase64(file.Signature, out var signature))
            return CheckpointParse.Failed($"{source}: \"signature\" must be base64.");
        return new CheckpointParse(new AuditCheckpoint(file.TreeSize, root, file.HeadSequence, head, issuedAt, publicKey, signature), null);
    }

    private static bool TryHash(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is not { Length: 64 })
            return false;
        try
        {
            hash = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryBase64(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text))
            return false;
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record CheckpointFile(
        [property: JsonPropertyName("format")] string? Format,
        [property: JsonPropertyName("treeSize")] long TreeSize,
        [property: JsonPropertyName("rootHash")] string? RootHash,
        [property: JsonPropertyName("headSequence")] long HeadSequence,
        [property: JsonPropertyName("headHash")] string? HeadHash,
        [property: JsonPropertyName("issuedAt")] string? IssuedAt,
        [property: JsonPropertyName("publicKey")] string? PublicKey,
        [property: JsonPropertyName("signature")] string? Signature);
}

public sealed record CheckpointParse(AuditCheckpoint? Checkpoint, string? Error)
{
    public static CheckpointParse Failed(string error) => new(null, error);
}
