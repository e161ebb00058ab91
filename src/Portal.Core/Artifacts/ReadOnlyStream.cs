namespace Portal.Core.Artifacts;

/// <summary>
/// Base of the portal's read-only stream wrappers: the overloads <see cref="Stream"/> demands are
/// forwarded to one asynchronous read and one absolute seek, so each wrapper states only what it adds.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => false;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => Seek(value, SeekOrigin.Begin);
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The server reads asynchronously; a synchronous caller gets the same checks.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => SeekTo(origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        _ => Length + offset,
    });

    /// <summary>Moves to an absolute position; only seekable wrappers override it.</summary>
    protected virtual long SeekTo(long target) => throw new NotSupportedException();

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
