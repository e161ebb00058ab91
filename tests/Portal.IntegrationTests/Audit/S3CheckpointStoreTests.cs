using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Portal.Core.Audit;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Infrastructure.Audit;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>Signed checkpoints kept in an S3-compatible bucket (s3rver on loopback), as Audit:CheckpointStore = S3 configures.</summary>
public sealed class S3CheckpointStoreTests(S3Portal s3) : IClassFixture<S3Portal>
{
    private AmazonS3Client Bucket() => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = s3.ServiceUrl, ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private async Task<byte[]> ObjectAsync(AmazonS3Client bucket, string key)
    {
        using var response = await bucket.GetObjectAsync(S3Portal.Bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static Task PutAsync(AmazonS3Client bucket, string key, byte[] content) =>
        bucket.PutObjectAsync(new PutObjectRequest { BucketName = S3Portal.Bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });

    private async Task<CallerAccess> AuditorAsync() =>
        await s3.App.CallerAsync(await s3.App.SignInAsync($"auditor-{Guid.NewGuid():N}", "S3 Auditor", "portal-auditors"));

    [Fact]
    public async Task The_signing_job_writes_checkpoints_under_the_prefix_and_verification_and_downloads_read_them_back()
    {
        var auditor = await AuditorAsync();

        await s3.App.InScopeAsync<SignAuditCheckpointJob, bool>(async job => { await job.RunAsync(CancellationToken.None); return true; });

        using var bucket = Bucket();
        var listed = await bucket.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Portal.Bucket, Prefix = S3Portal.CheckpointPrefix });
        var keys = (listed.S3Objects ?? []).Select(o => o.Key).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Matches(@"^audit/checkpoints/checkpoint-\d{12}\.json$", k));
        Assert.Empty(Directory.Exists(s3.App.CheckpointDirectory) ? Directory.GetFiles(s3.App.CheckpointDirectory) : []);

        var checkpoints = (await s3.App.InScopeAsync<AuditTrailService, Result<IReadOnlyList<AuditCheckpoint>>>(t => t.ListCheckpointsAsync(auditor, CancellationToken.None))).Value;
        Assert.Equal(keys.Order(StringComparer.Ordinal), checkpoints.Select(c => S3Portal.CheckpointPrefix + c.FileName).Order(StringComparer.Ordinal));
        var checkpoint = checkpoints.MaxBy(c => c.TreeSize)!;
        var key = S3Portal.CheckpointPrefix + checkpoint.FileName;
        var download = await s3.App.InScopeAsync<AuditTrailService, Result<byte[]>>(t => t.CheckpointFileAsync(auditor, checkpoint.TreeSize, CancellationToken.None));
        Assert.Equal(await ObjectAsync(bucket, key), download.Value);

        var verified = await s3.App.InScopeAsync<AuditTrailService, Result<Portal.Core.Audit.Verification.AuditVerificationResult>>(t => t.VerifyAsync(auditor, CancellationToken.None));
        Assert.True(verified.Value.IsValid, verified.Value.Message);
        Assert.Equal(checkpoints.Count, verified.Value.CheckpointsChecked);
    }

    [Fact]
    public async Task A_checkpoint_altered_in_the_bucket_fails_verification()
    {
        var auditor = await AuditorAsync();
        var checkpoint = await s3.App.InScopeAsync<AuditTrailService, AuditCheckpoint?>(t => t.SignCheckpointAsync(CancellationToken.None));
        Assert.NotNull(checkpoint);
        using var bucket = Bucket();
        var key = S3Portal.CheckpointPrefix + checkpoint.FileName;
        var original = await ObjectAsync(bucket, key);
        var altered = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(original)
            .Replace(Convert.ToHexStringLower(checkpoint.RootHash), new string('0', 64), StringComparison.Ordinal));
        Assert.NotEqual(original, altered);
        await PutAsync(bucket, key, altered);
        try
        {
            var verified = await s3.App.InScopeAsync<AuditTrailService, Result<Portal.Core.Audit.Verification.AuditVerificationResult>>(t => t.VerifyAsync(auditor, CancellationToken.None));

            Assert.False(verified.Value.IsValid);
        }
        finally
        {
            // The other tests of this class share the bucket and expect an intact chain.
            await PutAsync(bucket, key, original);
        }
    }

    [Fact]
    public async Task A_missing_bucket_is_named_in_a_clear_error()
    {
        using var client = Bucket();
        var store = new S3CheckpointStore(client, "no-such-bucket", "audit/");

        var listing = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListAsync(CancellationToken.None));
        var writing = await Assert.ThrowsAsync<InvalidOperationException>(() => store.PutAsync("checkpoint-1.json", [1], CancellationToken.None));

        foreach (var error in new[] { listing, writing })
        {
            Assert.Contains("'no-such-bucket' does not exist", error.Message);
            Assert.Contains("Artifacts:S3:Bucket", error.Message);
        }
    }
}
