using System.Runtime.CompilerServices;
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
internal sealed class LimitedReadStream(Stream inner, long limit, Error exceeded) : ReadOnlyStream
{
    private long _read;

    // An upload reads in pieces of a few KiB, hundreds of thousands per GiB: the pooled builder spares each one its state-machine box.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
            throw new StorageLimitException(exceeded);
        return read;
    }
}
