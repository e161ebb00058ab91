using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Portal.Core.Audit.Checkpoints;

namespace Portal.Infrastructure.Audit;

/// <summary>
/// Checkpoints as objects <c>{prefix}checkpoint-….json</c> in an S3-compatible bucket (ideally one with object lock).
/// A bucket that does not exist is a configuration mistake, reported as such rather than as S3's bare error code.
/// </summary>
public sealed class S3CheckpointStore(IAmazonS3 s3, string bucket, string prefix) : ICheckpointStore
{
    public async Task PutAsync(string name, byte[] content, CancellationToken ct)
    {
        using var body = new MemoryStream(content, writable: false);
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = prefix + name, InputStream = body, UseChunkEncoding = false, ContentType = "application/json",
            }, ct);
        }
        catch (AmazonS3Exception e) when (IsMissingBucket(e))
        {
            throw MissingBucket(e);
        }
    }

    private static bool IsMissingBucket(AmazonS3Exception e) => e.ErrorCode == "NoSuchBucket";

    private InvalidOperationException MissingBucket(AmazonS3Exception e) => new(
        $"The audit checkpoint bucket '{bucket}' does not exist: create it, or correct Artifacts:S3:Bucket (Audit:CheckpointStore is S3).", e);

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var names = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + "checkpoint-" };
        ListObjectsV2Response response;
        do
        {
            try
            {
                response = await s3.ListObjectsV2Async(request, ct);
            }
            catch (AmazonS3Exception e) when (IsMissingBucket(e))
            {
                throw MissingBucket(e);
            }
            names.AddRange((response.S3Objects ?? []).Select(o => o.Key[prefix.Length..]));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    public async Task<byte[]?> GetAsync(string name, CancellationToken ct)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, prefix + name, ct);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy, ct);
            return copy.ToArray();
        }
        catch (AmazonS3Exception e) when (IsMissingBucket(e))
        {
            throw MissingBucket(e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
