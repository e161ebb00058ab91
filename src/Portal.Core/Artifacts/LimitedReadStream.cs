using Portal.Core.Common;

namespace Portal.Core.Artifacts;

/// <summary>Thrown by <see cref="LimitedReadStream"/> when an upload crosses its limit; the store drops what it wrote.</summary>
public sealed class StorageLimitException(Error error) : IOException(error.Message)
{
    public Error Error { get; } = error;
}

/// <summary>
/// Passes an upload through and fails it as soon as it exceeds <paramref name="limit"/> bytes, for uploads
/// that announced no length (or a false one): the quota and the disk floor hold mid-stream too.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, long limit, Error exceeded) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
            throw new StorageLimitException(exceeded);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
