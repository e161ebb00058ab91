using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Audit.Checkpoints;

/// <summary>Signs checkpoints with the portal's ECDSA P-256 key (built into .NET; no package).</summary>
public sealed class CheckpointSigner(ECDsa key)
{
    public byte[] PublicKey { get; } = key.ExportSubjectPublicKeyInfo();

    public AuditCheckpoint Sign(long treeSize, byte[] rootHash, long headSequence, byte[] headHash, DateTimeOffset issuedAt)
    {
        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issuedAt.ToUnixTimeMilliseconds());
        var text = AuditCheckpoint.SignedTextFor(treeSize, rootHash, headSequence, headHash, issuedAt);
        var signature = key.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditCheckpoint(treeSize, rootHash, headSequence, headHash, issuedAt, PublicKey, signature);
    }

    /// <summary>Loads the PEM key at <paramref name="path"/>, creating it (readable by the owner only) when absent.</summary>
    public static CheckpointSigner FromFile(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
                throw new InvalidOperationException($"Audit:SigningKeyPath: {path} does not hold an ECDSA P-256 key.");
            return new CheckpointSigner(key);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new CheckpointSigner(key);
    }

    public static CheckpointSigner FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256)
            throw new InvalidOperationException("Audit:SigningKey does not hold an ECDSA P-256 key.");
        return new CheckpointSigner(key);
    }
}
