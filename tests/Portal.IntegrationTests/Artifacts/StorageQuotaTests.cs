using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Infrastructure.Artifacts;
using Portal.Testing;
using Portal.Web.Api;
using static Portal.IntegrationTests.Artifacts.ArtifactUploads;

namespace Portal.IntegrationTests.Artifacts;

/// <summary>Team quotas and the free-disk floor refuse uploads before anything is stored.</summary>
public sealed class StorageQuotaTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private int IncomingFiles() => Directory.Exists(Path.Combine(app.ArtifactRoot, "incoming")) ? Directory.EnumerateFiles(Path.Combine(app.ArtifactRoot, "incoming")).Count() : 0;

    private async Task<CallerAccess> TeamAdminAsync() => await app.CallerAsync(await app.SignInAsync("fin-admin", "Finance Admin", "finance-admins"));

    /// <summary>Gives the finance team room for <paramref name="room"/> more bytes than it uses now.</summary>
    private async Task<TeamStorageUsage> LeaveRoomAsync(long room)
    {
        var admin = await TeamAdminAsync();
        var usage = await app.InScopeAsync<StorageQuotaService, Result<TeamStorageUsage>>(s => s.GetUsageAsync(admin, "finance"));
        return (await app.InScopeAsync<StorageQuotaService, Result<TeamStorageUsage>>(s => s.SetQuotaAsync(admin, "finance", usage.Value.UsedBytes + room))).Value;
    }

    [Fact]
    public async Task Upload_over_the_team_quota_is_refused_before_anything_is_stored()
    {
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var version = (await PendingVersionsAsync(client, team: "finance"))[0];
        await LeaveRoomAsync(4000);
        var bytes = RandomNumberGenerator.GetBytes(5000);

        var refused = await PutAsync(client, version + "/artifacts/big.bin", bytes);
        var fits = await PutAsync(client, version + "/artifacts/small.bin", bytes[..3000]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("storage.quota-exceeded", await CodeAsync(refused));
        Assert.False(await app.Service<IArtifactStore>().ExistsAsync(Sha(bytes), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
    }

    [Fact]
    public async Task Upload_without_length_that_crosses_the_quota_stops_mid_stream_and_leaves_nothing()
    {
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var asset = AssetOf((await PendingVersionsAsync(client, team: "finance"))[0]);
        var contributor = await app.CallerAsync(await app.SignInAsync("fin-contrib", "Finance Contributor", "finance-contributors"));
        await LeaveRoomAsync(100_000);
        var bytes = RandomNumberGenerator.GetBytes(1024 * 1024);

        var refused = await app.InScopeAsync<ArtifactService, Result<Portal.Core.Versions.ArtifactView>>(s =>
            s.UploadAsync(contributor, "finance", asset, "1.0.0", "big.bin", new UnseekableStream(bytes), null, declaredLength: null));

        Assert.Equal("storage.quota-exceeded", refused.Error?.Code);
        Assert.False(await app.Service<IArtifactStore>().ExistsAsync(Sha(bytes), CancellationToken.None));
        Assert.Equal(0, IncomingFiles());
    }

    [Fact]
    public async Task Team_admin_sees_usage_and_sets_an_audited_override_that_contributors_cannot()
    {
        var admin = await TeamAdminAsync();
        var contributor = await app.CallerAsync(await app.SignInAsync("fin-contrib", "Finance Contributor", "finance-contributors"));

        var set = await app.InScopeAsync<StorageQuotaService, Result<TeamStorageUsage>>(s => s.SetQuotaAsync(admin, "finance", 5L << 30));
        var refused = await app.InScopeAsync<StorageQuotaService, Result<TeamStorageUsage>>(s => s.SetQuotaAsync(contributor, "finance", null));
        var seen = await app.InScopeAsync<StorageQuotaService, Result<TeamStorageUsage>>(s => s.GetUsageAsync(contributor, "finance"));

        Assert.Equal(5L << 30, set.Value.QuotaBytes);
        Assert.Equal(5L << 30, set.Value.OverrideBytes);
        Assert.Equal("team.forbidden", refused.Error?.Code);
        Assert.Equal("team.forbidden", seen.Error?.Code);
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "team.storage-quota-changed"));
    }

    [Fact]
    public async Task Upload_is_refused_with_disk_full_when_free_space_is_below_the_floor()
    {
        var contributor = await app.CallerAsync(await app.SignInAsync("fin-contrib", "Finance Contributor", "finance-contributors"));
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var asset = AssetOf((await PendingVersionsAsync(client, team: "finance"))[0]);
        var root = Path.Combine(app.ArtifactRoot, "floor");
        var store = new FileSystemArtifactStore(root, minFreeBytes: long.MaxValue / 2);
        var db = app.Service<IDbContextFactory<PortalDbContext>>();
        var options = new StorageOptions();
        var artifacts = new ArtifactService(db, store, new BlobIntegrityService(db, store, TimeProvider.System),
            new StorageQuotaService(db, store, options, TimeProvider.System), options, TimeProvider.System);

        var announced = await artifacts.UploadAsync(contributor, "finance", asset, "1.0.0", "a.bin", new MemoryStream(new byte[10]), null, 10);
        var unannounced = await artifacts.UploadAsync(contributor, "finance", asset, "1.0.0", "b.bin", new UnseekableStream(new byte[10]), null, null);

        Assert.Equal("storage.disk-full", announced.Error?.Code);
        Assert.Equal("storage.disk-full", unannounced.Error?.Code);
        Assert.Equal(507, ApiProblems.StatusOf(announced.Error!.Kind));
        Assert.False(Directory.Exists(Path.Combine(root, "sha256")));
    }

    /// <summary>A body whose length the client cannot know in advance, so it is sent chunked without Content-Length.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
