using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Registry;

public abstract class VersionSearchTests(PortalApp app)
{
    [Fact]
    public async Task Versions_are_found_by_tag_and_metric_threshold_page_by_page()
    {
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var tag = $"search-{Guid.NewGuid():N}"[..15];
        var asset = $"s-{Guid.NewGuid():N}"[..10];
        await client.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = asset, kind = "Model" });
        for (var i = 1; i <= 4; i++)
        {
            await client.PostAsJsonAsync($"/api/v1/teams/finance/assets/{asset}/versions", new { version = $"1.{i}.0", tags = i % 2 == 0 ? new[] { tag } : [] });
            await client.PostAsJsonAsync($"/api/v1/teams/finance/assets/{asset}/versions/1.{i}.0/metrics", new[] { new { name = "auc", value = 0.7 + i * 0.05 } });
        }

        var tagged = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/versions?tag={tag}");
        var good = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/versions?metric=auc&min=0.84&tag=&limit=1");
        var next = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/versions?metric=auc&min=0.84&limit=1&cursor={good.GetProperty("nextCursor").GetString()}");

        Assert.Equal(["1.4.0", "1.2.0"], tagged.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal("1.4.0", good.GetProperty("items")[0].GetProperty("version").GetString());
        Assert.Equal("1.3.0", next.GetProperty("items")[0].GetProperty("version").GetString());
    }
}

public sealed class VersionSearchTests_Sqlite(SqlitePortal app) : VersionSearchTests(app), IClassFixture<SqlitePortal>;

public sealed class VersionSearchTests_PostgreSql(PostgresPortal app) : VersionSearchTests(app), IClassFixture<PostgresPortal>;
