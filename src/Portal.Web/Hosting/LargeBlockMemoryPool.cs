using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Portal.Web.Hosting;

/// <summary>
/// Kestrel's memory pool with 64 KiB blocks instead of 4 KiB. Kestrel receives from a socket into one block per call, so an
/// artifact upload of 1 GiB took 262,144 receive calls, and it sends a response spread over many blocks as one gathered write
/// whose I/O vectors the runtime allocates each time. The portal's traffic is artifacts of megabytes to gigabytes; a connection
/// still holds no block while idle (Kestrel waits for data before it rents one).
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}

internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    // Free blocks kept for reuse per pool (Kestrel makes one per I/O queue): 16 MiB. Past that a returned block is left to the GC,
    // so a burst of transfers does not keep its peak for good.
    private const int MaxRetained = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
            Interlocked.Decrement(ref _retained);
        else
            block = new Block(this);
        block.Rent();
        return block;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
    }

    private void Return(Block block)
    {
        if (!_disposed && Interlocked.Increment(ref _retained) <= MaxRetained)
            _free.Enqueue(block);
        else
            Interlocked.Decrement(ref _retained);
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        // Pinned once, so that socket calls need not pin it each time.
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        private int _rented;

        public Memory<byte> Memory => _array;

        public void Rent() => _rented = 1;

        // A second dispose must not put the block in the queue twice: two renters would then write into the same memory.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _rented, 0) == 1)
                pool.Return(this);
        }
    }
}
