using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Teams;
using Portal.IntegrationTests.Hosting;

namespace Portal.IntegrationTests.Registry;

/// <summary>
/// Names in other scripts travel through real HTTP headers (Kestrel refuses non-ASCII header values,
/// the in-memory test server does not): percent-encoded in Location, RFC 6266 in Content-Disposition.
/// </summary>
public sealed class NonAsciiNameTests(RealPortPortal app) : IClassFixture<RealPortPortal>
{
    private async Task<HttpClient> ClientAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.IssueTokenAsync("marketing", TeamRole.Contributor));
        return client;
    }

    private static HttpRequestMessage Upload(string url, byte[] bytes) => new(HttpMethod.Put, url)
    {
        Content = new ByteArrayContent(bytes),
        Headers = { { "X-Content-SHA256", Convert.ToHexStringLower(SHA256.HashData(bytes)) } },
    };

    [Fact]
    public async Task Non_ascii_artifact_name_round_trips_through_location_and_content_disposition_and_its_retry_succeeds()
    {
        using var client = await ClientAsync();
        var asset = "données-" + Guid.NewGuid().ToString("N")[..6];
        var created = await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Dataset" });
        var version = await client.PostAsJsonAsync(created.Headers.Location + "/versions", new { version = "1.0.0" });
        var bytes = Encoding.UTF8.GetBytes("id,名前\n1,é\n");
        var url = version.Headers.Location + "/artifacts/" + Uri.EscapeDataString("日本語") + "/" + Uri.EscapeDataString("résumé 2024.csv");

        var first = await client.SendAsync(Upload(url, bytes));
        var retry = await client.SendAsync(Upload(url, bytes));
        var download = await client.GetAsync(first.Headers.Location);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, version.StatusCode);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(first.Headers.Location!.OriginalString.All(char.IsAscii), first.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("résumé 2024.csv", disposition.FileNameStar);
        Assert.True(disposition.FileName!.All(char.IsAscii), disposition.FileName);
    }

    [Fact]
    public async Task Retry_of_a_stored_upload_without_a_digest_is_still_refused_as_a_conflict()
    {
        using var client = await ClientAsync();
        var asset = "data-" + Guid.NewGuid().ToString("N")[..6];
        await client.PostAsJsonAsync("/api/v1/teams/marketing/assets", new { name = asset, kind = "Dataset" });
        await client.PostAsJsonAsync($"/api/v1/teams/marketing/assets/{asset}/versions", new { version = "1.0.0" });
        var url = $"/api/v1/teams/marketing/assets/{asset}/versions/1.0.0/artifacts/é.bin";

        var first = await client.PutAsync(url, new ByteArrayContent([1, 2, 3]));
        var second = await client.PutAsync(url, new ByteArrayContent([4, 5, 6]));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }
}
