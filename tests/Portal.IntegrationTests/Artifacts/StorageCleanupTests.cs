using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Artifacts;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Artifacts.ArtifactUploads;

namespace Portal.IntegrationTests.Artifacts;

/// <summary>The storage clean-up job, driven by a fake clock instead of waiting for its grace periods.</summary>
public sealed class StorageCleanupTests(RealPortPortal app) : IClassFixture<RealPortPortal>
{
    private string Incoming => Path.Combine(app.ArtifactRoot, "incoming");

    private int StoredBlobFiles() => Directory.EnumerateFiles(Path.Combine(app.ArtifactRoot, "sha256"), "*", SearchOption.AllDirectories).Count();

    [Fact]
    public async Task Killed_upload_leaves_nothing_after_the_clean_up_job()
    {
        using var client = await RealClientAsync(app);
        var url = (await PendingVersionsAsync(client))[0] + "/artifacts/big.bin";
        var blobFiles = StoredBlobFiles();
        using var kill = new CancellationTokenSource();
        var body = new StalledContent(RandomNumberGenerator.GetBytes(2 * 1024 * 1024), declaredLength: 64L * 1024 * 1024);

        var upload = client.SendAsync(new HttpRequestMessage(HttpMethod.Put, url) { Content = body }, kill.Token);
        await body.Stalled.WaitAsync(TimeSpan.FromSeconds(30));
        await UntilAsync(() => Directory.Exists(Incoming) && Directory.EnumerateFiles(Incoming).Any());
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        // What a portal process killed in the same spot would leave behind.
        Directory.CreateDirectory(Incoming);
        await File.WriteAllBytesAsync(Path.Combine(Incoming, $"{Guid.NewGuid():N}.part"), new byte[1000]);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var early = await CleanUpJob(app, clock).RunAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(7));
        await CleanUpJob(app, clock).RunAsync(CancellationToken.None);

        Assert.Equal(0, early.TemporaryFiles);
        Assert.Empty(Directory.EnumerateFiles(Incoming));
        Assert.Equal(blobFiles, StoredBlobFiles());
        var version = await client.GetAsync(url[..url.IndexOf("/artifacts/", StringComparison.Ordinal)]);
        Assert.DoesNotContain("big.bin", await version.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreferenced_blob_is_removed_after_the_grace_period_and_a_used_one_never()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var versions = await PendingVersionsAsync(client, 2);
        var used = RandomNumberGenerator.GetBytes(5000);
        var orphan = RandomNumberGenerator.GetBytes(5000);
        (await PutAsync(client, versions[0] + "/artifacts/used.bin", used)).EnsureSuccessStatusCode();
        (await PutAsync(client, versions[1] + "/artifacts/orphan.bin", orphan)).EnsureSuccessStatusCode();
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            // As if the upload had died between storing the content and recording its artifact.
            await db.Artifacts.Where(a => a.Sha256 == Sha(orphan)).ExecuteDeleteAsync();
        }
        var store = app.Service<IArtifactStore>();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var first = await CleanUpJob(app, clock).RunAsync(CancellationToken.None);
        var keptDuringGrace = await store.ExistsAsync(Sha(orphan), CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(25));
        var second = await CleanUpJob(app, clock).RunAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(400));
        await CleanUpJob(app, clock).RunAsync(CancellationToken.None);

        Assert.Equal(0, first.Blobs);
        Assert.True(keptDuringGrace);
        Assert.True(second.Blobs >= 1);
        Assert.False(await store.ExistsAsync(Sha(orphan), CancellationToken.None));
        Assert.Null(await BlobAsync(app, Sha(orphan)));
        Assert.True(await AuditedAsync(app, "blob.removed", Sha(orphan)));
        Assert.True(await store.ExistsAsync(Sha(used), CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(versions[0] + "/artifacts/used.bin")).StatusCode);
    }

    /// <summary>Waits for the server to reach a state another process brings about (bounded, so a broken server fails the test).</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
            await Task.Delay(20, timeout.Token);
    }

    /// <summary>A request body that sends some bytes, announces many more, and then waits until the request is killed.</summary>
    private sealed class StalledContent(byte[] head, long declaredLength) : HttpContent
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stalled => _stalled.Task;

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(head, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            _stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = declaredLength;
            return true;
        }
    }
}
