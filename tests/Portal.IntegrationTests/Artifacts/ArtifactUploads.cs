using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Artifacts;

/// <summary>The portal on a real Kestrel port, so a client can be cut off (or see a connection cut) as over a network.</summary>
public sealed class RealPortPortal() : PortalApp(DatabaseProvider.Sqlite, realPort: true);

/// <summary>What the integrity tests do through the API: register pending versions, put and read files, look at blob rows.</summary>
internal static class ArtifactUploads
{
    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A new asset of the team with pending versions 1.0.0, 1.0.1…; returns each version's URL.</summary>
    public static async Task<string[]> PendingVersionsAsync(HttpClient client, int count = 1, string team = "marketing")
    {
        var asset = $"blob-{Guid.NewGuid():N}"[..14];
        (await client.PostAsJsonAsync($"/api/v1/teams/{team}/assets", new { name = asset, kind = "Model" })).EnsureSuccessStatusCode();
        var urls = new string[count];
        for (var i = 0; i < count; i++)
        {
            (await client.PostAsJsonAsync($"/api/v1/teams/{team}/assets/{asset}/versions", new { version = $"1.0.{i}" })).EnsureSuccessStatusCode();
            urls[i] = $"/api/v1/teams/{team}/assets/{asset}/versions/1.0.{i}";
        }
        return urls;
    }

    /// <summary>The asset name in a version URL from <see cref="PendingVersionsAsync"/>.</summary>
    public static string AssetOf(string versionUrl) => versionUrl.Split('/')[6];

    /// <summary>A client of the real port with a Contributor token of marketing.</summary>
    public static async Task<HttpClient> RealClientAsync(PortalApp app)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.IssueTokenAsync("marketing", TeamRole.Contributor));
        return client;
    }

    public static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, byte[] bytes, string? sha = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        if (sha is not null)
            request.Headers.Add("X-Content-SHA256", sha);
        return client.SendAsync(request, ct);
    }

    public static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString();
    }

    /// <summary>Reads a download to its end; the exception the client sees when the server aborts it, or null for a whole response.</summary>
    public static async Task<Exception?> DownloadFailureAsync(HttpClient client, string url)
    {
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.ReadAsByteArrayAsync();
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return ex;
        }
    }

    public static async Task<Blob?> BlobAsync(PortalApp app, string sha)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Blobs.AsNoTracking().SingleOrDefaultAsync(b => b.Sha256 == sha);
    }

    public static async Task<bool> AuditedAsync(PortalApp app, string action, string subjectId)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AnyAsync(e => e.Action == action && e.SubjectId == subjectId);
    }

    /// <summary>The clean-up job of the app's store and database, on a clock the test moves.</summary>
    public static CleanUpStorageJob CleanUpJob(PortalApp app, TimeProvider clock)
    {
        var db = app.Service<IDbContextFactory<PortalDbContext>>();
        var store = app.Service<IArtifactStore>();
        return new CleanUpStorageJob(new StorageCleanupService(db, store, new BlobIntegrityService(db, store, clock), app.Service<StorageOptions>(), clock));
    }

    /// <summary>Flips one byte in the middle of a copy, so the size stays and only the digest tells.</summary>
    public static byte[] Flipped(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[copy.Length / 2] ^= 0xFF;
        return copy;
    }
}
