using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Registry.RegistryApi;

namespace Portal.IntegrationTests.Registry;

/// <summary>Versions are immutable: a version number is registered once, however the second attempt arrives.</summary>
public abstract class VersionConflictTests(PortalApp app)
{
    [Fact]
    public async Task Registering_a_version_that_exists_is_refused_with_version_exists_and_writes_nothing()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = Unique("taken");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });
        var url = $"/api/v1/teams/marketing/assets/{asset}/versions";

        var first = await client.PostAsJsonAsync(url, new { version = "1.0.0", description = "first" });
        var again = await client.PostAsJsonAsync(url, new { version = "1.0.0", description = "second", tags = new[] { "other" } });
        var next = await client.PostAsJsonAsync(url, new { version = "1.0.1" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("version.exists", await CodeAsync(again));
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
        var (descriptions, registered) = await WrittenAsync(asset);
        Assert.Equal(["first", ""], descriptions);
        Assert.Equal(2, registered);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_version_make_one_version_and_the_others_get_version_exists()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Contributor);
        var asset = Unique("race");
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Model" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "3.0.0", description = $"attempt {i}" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("version.exists", await CodeAsync(refused));
        }
        var (descriptions, registered) = await WrittenAsync(asset);
        Assert.Single(descriptions);
        Assert.Equal(1, registered);
    }

    /// <summary>The asset's versions' descriptions, oldest first, and the number of its versions' registration events.</summary>
    private async Task<(List<string> Descriptions, int Registered)> WrittenAsync(string asset)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var versions = await db.Versions.Where(v => db.Assets.Any(a => a.Id == v.AssetId && a.Name == asset))
            .OrderBy(v => v.CreatedAt).Select(v => new { v.Id, v.Description }).ToListAsync();
        var ids = versions.Select(v => v.Id.ToString()).ToList();
        var registered = await db.AuditEvents.CountAsync(e => e.Action == "version.registered" && ids.Contains(e.SubjectId));
        return ([.. versions.Select(v => v.Description)], registered);
    }
}

public sealed class VersionConflictTests_Sqlite(SqlitePortal app) : VersionConflictTests(app), IClassFixture<SqlitePortal>;

public sealed class VersionConflictTests_PostgreSql(PostgresPortal app) : VersionConflictTests(app), IClassFixture<PostgresPortal>;
