using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Artifacts;
using Portal.Infrastructure.Artifacts;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Registry;

/// <summary>The registry with its artifacts in an S3-compatible store (s3rver on loopback).</summary>
public sealed class S3StoreTests(S3Portal s3) : IClassFixture<S3Portal>
{
    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<(HttpClient Client, string Root)> PendingVersionAsync()
    {
        var client = await s3.App.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = $"s3-{Guid.NewGuid():N}"[..11];
        (await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.0" })).EnsureSuccessStatusCode();
        return (client, $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0");
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, byte[] bytes, string? sha)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        if (sha is not null)
            request.Headers.Add("X-Content-SHA256", sha);
        return client.SendAsync(request);
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
}
