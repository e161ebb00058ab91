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

/// <summary>An asset's version list in SemVer precedence, in SQL, a page at a time; "latest" and the next-version hint follow the same order.</summary>
public abstract class VersionOrderingTests(PortalApp app)
{
    [Fact]
    public async Task Versions_list_in_semver_precedence_page_by_page_and_latest_follows_it()
    {
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var asset = $"o-{Guid.NewGuid():N}"[..10];
        await client.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = asset, kind = "Model" });
        string[] precedence = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.10.0", "2.0.0-rc.1"];
        foreach (var version in precedence.OrderBy(v => v.Length).ThenByDescending(v => v))
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/v1/teams/finance/assets/{asset}/versions", new { version })).StatusCode);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets/{asset}/versions?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        } while (cursor is not null);

        Assert.Equal(precedence.Reverse(), seen);
        Assert.Equal(4, pages);
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets?q={asset}");
        Assert.Equal("2.0.0-rc.1", list.GetProperty("items")[0].GetProperty("latestVersion").GetString());
        var next = await client.GetFromJsonAsync<JsonElement>($"/api/v1/teams/finance/assets/{asset}/next-version");
        Assert.Equal("2.0.0", next.GetProperty("patch").GetString());
    }

    [Theory]
    [InlineData("cursor=zz")]
    [InlineData("cursor=ABCD")]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    public async Task A_bad_page_request_is_refused_with_the_query_problem(string query)
    {
        var client = await app.ApiClientAsync("finance", TeamRole.Contributor);
        var asset = $"o-{Guid.NewGuid():N}"[..10];
        await client.PostAsJsonAsync("/api/v1/teams/finance/assets", new { name = asset, kind = "Model" });

        var response = await client.GetAsync($"/api/v1/teams/finance/assets/{asset}/versions?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("query.invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}

public sealed class VersionOrderingTests_Sqlite(SqlitePortal app) : VersionOrderingTests(app), IClassFixture<SqlitePortal>;

public sealed class VersionOrderingTests_PostgreSql(PostgresPortal app) : VersionOrderingTests(app), IClassFixture<PostgresPortal>;
