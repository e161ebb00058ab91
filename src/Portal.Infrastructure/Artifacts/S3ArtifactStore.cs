using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Portal.Core.Artifacts;

namespace Portal.Infrastructure.Artifacts;

/// <summary>
/// Blobs in an S3-compatible bucket under <c>{prefix}sha256/ab/abcdef…</c>. Content streams through a
/// SHA-256 in parts of <see cref="PartSize"/> (the memory one upload holds). The multipart upload targets
/// the final key and is completed only when the digest matches, so a wrong or cut-off upload is never visible.
/// Uploads without a digest are spooled in <paramref name="spoolDirectory"/> first (see <see cref="WriteUnverifiedAsync"/>).
/// </summary>
public sealed class S3ArtifactStore(IAmazonS3 s3, string bucket, string prefix, string spoolDirectory) : IArtifactStore
{
    public const int PartSize = 8 * 1024 * 1024;

    public Task<StoredContent?> WriteAsync(Stream content, string? expectedSha256, Func<string, CancellationToken, Task<bool>> canKeepExisting, CancellationToken ct) =>
        expectedSha256 is null ? WriteUnverifiedAsync(content, canKeepExisting, ct) : WriteVerifiedAsync(content, expectedSha256, canKeepExisting, ct);

    private async Task<StoredContent?> WriteVerifiedAsync(Stream content, string expectedSha256, Func<string, CancellationToken, Task<bool>> canKeepExisting, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await FillAsync(content, buffer, ct);
            hash.AppendData(buffer, 0, filled);
            long size = filled;
            if (filled < PartSize)
            {
                var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (sha != expectedSha256)
                    return null;
                if (await KeepsExistingAsync(sha, canKeepExisting, ct))
                    return new StoredContent(sha, size, Written: false);
                await PutAsync(KeyOf(sha), buffer, filled, ct);
                return new StoredContent(sha, size, Written: true);
            }

            var key = KeyOf(expectedSha256);
            var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, ct);
            var parts = new List<PartETag>();
            try
            {
                while (filled > 0)
                {
                    using var part = new MemoryStream(buffer, 0, filled, writable: false);
                    var response = await s3.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = parts.Count + 1, InputStream = part, PartSize = filled,
                        UseChunkEncoding = false,
                    }, ct);
                    parts.Add(new PartETag(parts.Count + 1, response.ETag));
                    filled = await FillAsync(content, buffer, ct);
                    hash.AppendData(buffer, 0, filled);
                    size += filled;
                }
                var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (sha != expectedSha256)
                {
                    await AbortAsync(key, upload.UploadId);
                    return null;
                }
                await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts }, ct);
                return new StoredContent(sha, size, Written: true);
            }
            catch
            {
                await AbortAsync(key, upload.UploadId);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(bucket, KeyOf(sha256), ct);
            return new S3RangeReadStream(s3, bucket, KeyOf(sha256), head.ContentLength);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken ct)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, KeyOf(sha256), ct);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string sha256, CancellationToken ct) =>
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = KeyOf(sha256) }, ct);

    /// <summary>S3 itself sets no free-space floor; the team quotas still apply.</summary>
    public long? WritableBytes() => null;

    public async Task<int> CleanUpAbandonedUploadsAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var removed = AbandonedUploadFiles.RemoveOlderThan(spoolDirectory, cutoff);
        ListMultipartUploadsResponse uploads;
        try
        {
            uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix }, ct);
        }
        catch (AmazonS3Exception)
        {
            // Not every S3-compatible server lists uploads; there a bucket lifecycle rule does this job.
            return 0;
        }
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            if (upload.Initiated < cutoff.UtcDateTime)
            {
                await AbortAsync(upload.Key, upload.UploadId);
                removed++;
            }
        }
        return removed;
    }

    private string KeyOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException("Not a SHA-256 digest.", nameof(sha256));
        return $"{prefix}sha256/{sha256[..2]}/{sha256}";
    }

    private async Task PutAsync(string key, byte[] buffer, int count, CancellationToken ct)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, UseChunkEncoding = false, AutoCloseStream = false }, ct);
    }

    /// <summary>
    /// Without a digest the key is unknown until the end: the content is spooled to a local temporary
    /// file while hashed, then sent to its final key. (A server-side copy from a temporary key would
    /// avoid the spool but is limited to 5 GB and not implemented alike by every S3-compatible server.)
    /// </summary>
    private async Task<StoredContent?> WriteUnverifiedAsync(Stream content, Func<string, CancellationToken, Task<bool>> canKeepExisting, CancellationToken ct)
    {
        Directory.CreateDirectory(spoolDirectory);
        var spool = Path.Combine(spoolDirectory, $"s3-{Guid.NewGuid():N}.part");
        try
        {
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            var (sha, size) = await HashingCopy.CopyAsync(content, file, ct);
            if (await KeepsExistingAsync(sha, canKeepExisting, ct))
                return new StoredContent(sha, size, Written: false);
            file.Position = 0;
            return await WriteVerifiedAsync(file, sha, (_, _) => Task.FromResult(false), ct);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    /// <summary>Skips sending content the bucket already holds, unless the portal knows that copy is corrupt.</summary>
    private async Task<bool> KeepsExistingAsync(string sha256, Func<string, CancellationToken, Task<bool>> canKeepExisting, CancellationToken ct) =>
        await canKeepExisting(sha256, ct) && await ExistsAsync(sha256, ct);

    private async Task AbortAsync(string key, string uploadId)
    {
        // Best effort, and even when the request that started the upload was cancelled: an upload that is
        // never completed is invisible anyway, and the clean-up job or a bucket lifecycle rule retries.
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
        }
        catch (AmazonS3Exception)
        {
            // Some S3-compatible servers do not implement abort; nothing was made visible.
        }
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < PartSize && (read = await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), ct)) > 0)
            filled += read;
        return filled;
    }
}
