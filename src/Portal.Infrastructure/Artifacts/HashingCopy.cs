using System.Buffers;
using System.Security.Cryptography;

namespace Portal.Infrastructure.Artifacts;

/// <summary>Copies a stream while computing its SHA-256, with one pooled buffer: the hash costs no second pass.</summary>
internal static class HashingCopy
{
    private const int BufferSize = 1 << 20;

    public static async Task<(string Sha256, long Size)> CopyAsync(Stream source, Stream target, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long size = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                size += read;
            }
            await target.FlushAsync(ct);
            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
