using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Portal.Core.Artifacts;

namespace Portal.Infrastructure.Artifacts;

/// <summary>A seekable view of an S3 object that fetches from the current position with ranged GETs, so downloads can serve HTTP ranges.</summary>
internal sealed class S3RangeReadStream(IAmazonS3 s3, string bucket, string key, long length) : ReadOnlyStream
{
    private GetObjectResponse? _response;
    private long _position;

    public override bool CanSeek => true;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    // A download reads in pieces of 64 KiB, 16,384 per GiB: the pooled builder spares each one its state-machine box.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
            return 0;
        _response ??= await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(_position, length - 1) }, cancellationToken);
        var read = await _response.ResponseStream.ReadAsync(buffer, cancellationToken);
        _position += read;
        return read;
    }

    protected override long SeekTo(long target)
    {
        if (target != _position)
        {
            _response?.Dispose();
            _response = null;
            _position = Math.Clamp(target, 0, length);
        }
        return _position;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _response?.Dispose();
        base.Dispose(disposing);
    }
}
