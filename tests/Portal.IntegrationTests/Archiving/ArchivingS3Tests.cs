using Amazon.Runtime;
using Amazon.S3;
using Portal.Core.Artifacts;
using Portal.Core.Common;
using Portal.Core.Archiving;
using Portal.Testing;
using static Portal.IntegrationTests.Archiving.ArchivingScenario;

namespace Portal.IntegrationTests.Archiving;

/// <summary>Archiving with the artifacts in S3 (s3rver on loopback): the cold store is another prefix of the same bucket.</summary>
public sealed class ArchivingS3Tests(S3Portal s3) : IClassFixture<S3Portal>
{
    private async Task<bool> ObjectExistsAsync(string key)
    {
        using var bucket = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = s3.ServiceUrl, ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        try
        {
            await bucket.GetObjectMetadataAsync(S3Portal.Bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [Fact]
    public async Task Archived_blob_moves_under_the_cold_prefix_and_comes_back_byte_identical()
    {
        var s = await StartAsync(s3.App);
        var bytes = Bytes(50_000);
        var sha = Sha(bytes);
        var asset = Unique("s3old");
        await s.VersionAsync(asset, "1.0.0", [("data.bin", bytes)]);

        await s.RunAsync(await s.PlanRunAsync());
        var coldKey = await ObjectExistsAsync($"blobs/cold/sha256/{sha[..2]}/{sha}");
        var hotKey = await ObjectExistsAsync($"blobs/sha256/{sha[..2]}/{sha}");
        var location = await s.LocationAsync(sha);
        var restored = await s3.App.InScopeAsync<ArchiveRestoreService, Result<RestoredVersion>>(r => r.RestoreAsync(s.Admin, Finance, asset, "1.0.0"));
        await using var back = await s3.App.Service<IArtifactStore>().OpenReadAsync(sha, CancellationToken.None);
        using var copy = new MemoryStream();
        await back!.CopyToAsync(copy);

        Assert.True(coldKey);
        Assert.False(hotKey);
        Assert.Equal(BlobLocation.Cold, location);
        Assert.True(restored.IsSuccess);
        Assert.Equal(bytes, copy.ToArray());
        Assert.False(await ObjectExistsAsync($"blobs/cold/sha256/{sha[..2]}/{sha}"));
    }
}
