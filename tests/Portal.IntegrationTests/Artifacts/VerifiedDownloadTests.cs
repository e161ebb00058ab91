using System.Security.Cryptography;
using Portal.Core.Artifacts;
using Portal.Testing;
using static Portal.IntegrationTests.Artifacts.ArtifactUploads;

namespace Portal.IntegrationTests.Artifacts;

/// <summary>A verifying download as a client over the network sees it: Kestrel on a real port, not the in-memory test server.</summary>
public sealed class VerifiedDownloadTests(RealPortPortal app) : IClassFixture<RealPortPortal>
{
    [Fact]
    public async Task Flipped_byte_on_disk_cuts_the_connection_before_the_body_is_complete()
    {
        using var client = await RealClientAsync(app);
        var url = (await PendingVersionsAsync(client))[0] + "/artifacts/weights.bin";
        var bytes = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        (await PutAsync(client, url, bytes, Sha(bytes))).EnsureSuccessStatusCode();
        var file = Directory.EnumerateFiles(app.ArtifactRoot, Sha(bytes), SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(file, Flipped(bytes));

        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        var announced = response.Content.Headers.ContentLength;
        var received = new MemoryStream();
        var failure = await Record.ExceptionAsync(() => response.Content.CopyToAsync(received));

        Assert.Equal(bytes.Length, announced);
        Assert.Equal($"\"{Sha(bytes)}\"", response.Headers.ETag?.Tag);
        Assert.True(failure is HttpRequestException or IOException, $"Expected a failed transfer, got {failure?.GetType().Name ?? "a complete body"}.");
        Assert.True(received.Length < bytes.Length);
        Assert.Equal(BlobStatus.Corrupt, (await BlobAsync(app, Sha(bytes)))!.Status);
    }
}
