using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Artifacts.ArtifactUploads;

namespace Portal.IntegrationTests.Artifacts;

/// <summary>Stored bytes on the file-system store: verified downloads, repair, concurrent uploads; runs on SQLite and PostgreSQL.</summary>
public abstract class ArtifactIntegrityTests(PortalApp app)
{
    // Larger than the server's 64 KiB copy buffer, so the response is under way when the damage is found.
    private const int Size = 3 * 1024 * 1024;

    private string BlobFile(string sha) => Directory.EnumerateFiles(app.ArtifactRoot, sha, SearchOption.AllDirectories).Single();

    private async Task<(HttpClient Client, string Url, byte[] Bytes)> StoredFileAsync(string name)
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var url = (await PendingVersionsAsync(client))[0] + "/artifacts/" + name;
        var bytes = RandomNumberGenerator.GetBytes(Size);
        (await PutAsync(client, url, bytes, Sha(bytes))).EnsureSuccessStatusCode();
        return (client, url, bytes);
    }

    private async Task AssertRefusedAndMarkedCorruptAsync(HttpResponseMessage refused, byte[] bytes)
    {
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("artifact.corrupt", await CodeAsync(refused));
        Assert.Equal(BlobStatus.Corrupt, (await BlobAsync(app, Sha(bytes)))!.Status);
        Assert.True(await AuditedAsync(app, "blob.corrupt", Sha(bytes)));
    }

    [Fact]
    public async Task A_file_gone_from_the_store_is_refused_as_corrupt_and_marked_on_the_download_s_own_connection()
    {
        var (client, url, bytes) = await StoredFileAsync("gone.bin");
        File.Delete(BlobFile(Sha(bytes)));

        var missing = await client.GetAsync(url);

        await AssertRefusedAndMarkedCorruptAsync(missing, bytes);
    }

    [Fact]
    public async Task Flipped_byte_on_disk_aborts_the_download_and_alerts_platform_admins()
    {
        var (client, url, bytes) = await StoredFileAsync("weights.bin");
        await File.WriteAllBytesAsync(BlobFile(Sha(bytes)), Flipped(bytes));

        var failure = await DownloadFailureAsync(client, url);
        var again = await client.GetAsync(url);

        Assert.NotNull(failure);
        await AssertRefusedAndMarkedCorruptAsync(again, bytes);
        var admin = await app.CallerAsync(await app.SignInAsync("platform-admin", "Platform Admin", "portal-admins"));
        var alerts = await app.InScopeAsync<BlobIntegrityService, IReadOnlyList<CorruptBlobAlert>>(s => s.ListCorruptAsync(admin));
        var alert = Assert.Single(alerts, a => a.Sha256 == Sha(bytes));
        Assert.Contains(alert.UsedBy, u => u.EndsWith("/weights.bin", StringComparison.Ordinal));
        var contributor = await app.CallerAsync(await app.SignInAsync("mkt-contrib", "Contributor", "marketing-contributors"));
        Assert.Empty(await app.InScopeAsync<BlobIntegrityService, IReadOnlyList<CorruptBlobAlert>>(s => s.ListCorruptAsync(contributor)));
    }

    [Fact]
    public async Task Truncated_file_on_disk_aborts_the_download()
    {
        var (client, url, bytes) = await StoredFileAsync("weights.bin");
        await File.WriteAllBytesAsync(BlobFile(Sha(bytes)), bytes[..(Size / 2)]);

        Assert.NotNull(await DownloadFailureAsync(client, url));
        Assert.Equal(BlobStatus.Corrupt, (await BlobAsync(app, Sha(bytes)))!.Status);
    }

    [Fact]
    public async Task Uploading_the_right_content_repairs_a_corrupt_blob()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var versions = await PendingVersionsAsync(client, 2);
        var bytes = RandomNumberGenerator.GetBytes(Size);
        (await PutAsync(client, versions[0] + "/artifacts/weights.bin", bytes)).EnsureSuccessStatusCode();
        await File.WriteAllBytesAsync(BlobFile(Sha(bytes)), Flipped(bytes));
        await DownloadFailureAsync(client, versions[0] + "/artifacts/weights.bin");

        var wrong = await PutAsync(client, versions[1] + "/artifacts/weights.bin", Flipped(bytes), Sha(bytes));
        var repair = await PutAsync(client, versions[1] + "/artifacts/weights.bin", bytes, Sha(bytes));
        var download = await client.GetAsync(versions[0] + "/artifacts/weights.bin");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repair.StatusCode);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(BlobStatus.Ok, (await BlobAsync(app, Sha(bytes)))!.Status);
        Assert.True(await AuditedAsync(app, "blob.repaired", Sha(bytes)));
    }

    [Fact]
    public async Task Concurrent_identical_uploads_all_succeed_with_one_blob_row()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var versions = await PendingVersionsAsync(client, 3);
        var bytes = RandomNumberGenerator.GetBytes(256 * 1024);
        var urls = versions.SelectMany(v => new[] { v + "/artifacts/a.bin", v + "/artifacts/b.bin" }).ToList();

        var responses = await Task.WhenAll(urls.Select(u => PutAsync(client, u, bytes)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Blobs.CountAsync(b => b.Sha256 == Sha(bytes)));
        Assert.Equal(urls.Count, await db.Artifacts.CountAsync(a => a.Sha256 == Sha(bytes)));
        Assert.Null((await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == Sha(bytes))).UnreferencedSince);
    }

    [Fact]
    public async Task Range_on_a_blob_not_verified_recently_gets_the_whole_verified_file_then_ranges_again()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var url = (await PendingVersionsAsync(client))[0] + "/artifacts/weights.bin";
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        (await PutAsync(client, url, bytes)).EnsureSuccessStatusCode();
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var stale = DateTimeOffset.UtcNow.AddDays(-30);
            await db.Blobs.Where(b => b.Sha256 == Sha(bytes)).ExecuteUpdateAsync(s => s.SetProperty(b => b.LastVerifiedAt, stale));
        }
        HttpRequestMessage Tail() => new(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(bytes.Length - 100, bytes.Length - 1) } };

        var whole = await client.SendAsync(Tail());
        var tail = await client.SendAsync(Tail());

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^100..], await tail.Content.ReadAsByteArrayAsync());
    }
}

public sealed class ArtifactIntegrityTests_Sqlite(SqlitePortal app) : ArtifactIntegrityTests(app), IClassFixture<SqlitePortal>;

public sealed class ArtifactIntegrityTests_PostgreSql(PostgresPortal app) : ArtifactIntegrityTests(app), IClassFixture<PostgresPortal>;
