using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Artifacts;
using Portal.Infrastructure.Artifacts;
using Portal.Core.Teams;
using Portal.Testing;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;
using static Portal.IntegrationTests.Artifacts.ArtifactUploads;

namespace Portal.IntegrationTests.Registry;

/// <summary>The registry with its artifacts in an S3-compatible store (s3rver on loopback).</summary>
public sealed class S3StoreTests(S3Portal s3) : IClassFixture<S3Portal>
{
    private async Task<(HttpClient Client, string Root)> PendingVersionAsync()
    {
        var client = await s3.App.ApiClientAsync("marketing", TeamRole.Contributor);
        return (client, (await PendingVersionsAsync(client))[0]);
    }

    /// <summary>Replaces a stored object behind the portal's back, as a faulty disk or a careless operator would.</summary>
    private async Task OverwriteObjectAsync(string sha, byte[] bytes)
    {
        using var bucket = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = s3.ServiceUrl, ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        await bucket.PutObjectAsync(new PutObjectRequest { BucketName = S3Portal.Bucket, Key = $"blobs/sha256/{sha[..2]}/{sha}", InputStream = new MemoryStream(bytes), UseChunkEncoding = false });
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(S3ArtifactStore.PartSize * 2 + 12345, true)]
    [InlineData(S3ArtifactStore.PartSize + 1, false)]
    public async Task Files_round_trip_through_the_bucket_with_ranges(int size, bool sendDigest)
    {
        var (client, root) = await PendingVersionAsync();
        var bytes = RandomNumberGenerator.GetBytes(size);

        var upload = await PutAsync(client, root + "/artifacts/weights.bin", bytes, sendDigest ? Sha(bytes) : null);
        var whole = await client.GetAsync(root + "/artifacts/weights.bin");
        var range = new HttpRequestMessage(HttpMethod.Get, root + "/artifacts/weights.bin") { Headers = { Range = new RangeHeaderValue(size - 100, size - 1) } };
        var tail = await client.SendAsync(range);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^100..], await tail.Content.ReadAsByteArrayAsync());
        Assert.True(await s3.App.Services.GetRequiredService<IArtifactStore>().ExistsAsync(Sha(bytes), CancellationToken.None));
    }

    [Fact]
    public async Task Digest_mismatch_in_a_multipart_upload_leaves_nothing_in_the_bucket()
    {
        var (client, root) = await PendingVersionAsync();
        var bytes = RandomNumberGenerator.GetBytes(S3ArtifactStore.PartSize + 5000);
        var claimed = Sha([1, 2, 3]);

        var upload = await PutAsync(client, root + "/artifacts/weights.bin", bytes, claimed);

        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        var store = s3.App.Services.GetRequiredService<IArtifactStore>();
        Assert.False(await store.ExistsAsync(claimed, CancellationToken.None));
        Assert.False(await store.ExistsAsync(Sha(bytes), CancellationToken.None));
    }

    [Fact]
    public async Task Flipped_byte_in_the_bucket_aborts_the_download_and_the_right_upload_repairs_it()
    {
        var (client, root) = await PendingVersionAsync();
        var (_, other) = await PendingVersionAsync();
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        (await PutAsync(client, root + "/artifacts/weights.bin", bytes, Sha(bytes))).EnsureSuccessStatusCode();
        await OverwriteObjectAsync(Sha(bytes), Flipped(bytes));

        var failure = await DownloadFailureAsync(client, root + "/artifacts/weights.bin");
        var corrupt = await BlobAsync(s3.App, Sha(bytes));
        var repair = await PutAsync(client, other + "/artifacts/weights.bin", bytes, Sha(bytes));
        var download = await client.GetAsync(root + "/artifacts/weights.bin");

        Assert.NotNull(failure);
        Assert.Equal(BlobStatus.Corrupt, corrupt!.Status);
        Assert.True(await AuditedAsync(s3.App, "blob.corrupt", Sha(bytes)));
        Assert.Equal(HttpStatusCode.Created, repair.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(BlobStatus.Ok, (await BlobAsync(s3.App, Sha(bytes)))!.Status);
    }

    [Fact]
    public async Task Abandoned_spool_file_is_removed_by_the_clean_up_job_after_its_grace_period()
    {
        var spool = Path.Combine(s3.App.ArtifactRoot, "incoming");
        Directory.CreateDirectory(spool);
        var file = Path.Combine(spool, $"s3-{Guid.NewGuid():N}.part");
        await File.WriteAllBytesAsync(file, new byte[1000]);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        await CleanUpJob(s3.App, clock).RunAsync(CancellationToken.None);
        var keptDuringGrace = File.Exists(file);
        clock.Advance(TimeSpan.FromHours(7));
        await CleanUpJob(s3.App, clock).RunAsync(CancellationToken.None);

        Assert.True(keptDuringGrace);
        Assert.False(File.Exists(file));
    }
}
