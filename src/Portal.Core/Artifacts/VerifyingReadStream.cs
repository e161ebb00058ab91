using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Portal.Core.Artifacts;

/// <summary>Thrown while a download is sent when the stored bytes do not match their digest; the transfer must be aborted.</summary>
public sealed class BlobIntegrityException(string sha256) : IOException($"Stored content of blob {sha256} does not match its digest.");

/// <summary>
/// Hashes a blob while it is read for a download, in the same pass as the copy. When the content is read
/// from its first byte to its last, the digest is compared before the last bytes are handed out, so a
/// corrupt blob never reaches the client complete. A read that starts elsewhere (an HTTP range) cannot be
/// verified as a whole and is passed through (ADR-007). A short file fails whatever was asked.
/// </summary>
internal sealed class VerifyingReadStream(Stream inner, string sha256, long size, Func<bool, Task> onChecked) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _verifying = true;

    public override bool CanSeek => inner.CanSeek;
    // The recorded size, not the file's: the response announces what the client must receive in full.
    public override long Length => size;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    // A download reads in 64 KiB pieces, tens of thousands per GiB: the pooled builder spares each one its state-machine box.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= size || buffer.Length == 0)
            return 0;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, size - _position)], cancellationToken);
        if (read == 0)
            await FailAsync();
        if (_verifying)
            _hash.AppendData(buffer.Span[..read]);
        _position += read;
        if (_verifying && _position == size)
        {
            if (Convert.ToHexStringLower(_hash.GetHashAndReset()) != sha256)
                await FailAsync();
            await onChecked(true);
        }
        return read;
    }

    private async Task FailAsync()
    {
        await onChecked(false);
        throw new BlobIntegrityException(sha256);
    }

    protected override long SeekTo(long target)
    {
        if (target != _position)
            _verifying = false;
        _position = inner.Seek(target, SeekOrigin.Begin);
        return _position;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
