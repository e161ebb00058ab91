using System.Net;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

public sealed class SecurityHeadersTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task Responses_carry_the_security_headers_and_a_correlation_id()
    {
        var response = await app.CreateClient().GetAsync("/health/live");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.NotEmpty(response.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task A_sane_correlation_id_is_echoed_and_a_hostile_one_is_replaced()
    {
        var client = app.CreateClient();
        var sane = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { { "X-Correlation-Id", "build-1234" } } };
        var hostile = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { { "X-Correlation-Id", "<script>" } } };

        Assert.Equal("build-1234", (await client.SendAsync(sane)).Headers.GetValues("X-Correlation-Id").Single());
        Assert.NotEqual("<script>", (await client.SendAsync(hostile)).Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task Health_endpoints_answer_without_sign_in()
    {
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_api_and_its_bearer_scheme()
    {
        var json = await app.CreateClient().GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/teams/{team}/members", json);
        Assert.Contains("\"bearer\"", json);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/reference/")).StatusCode);
    }
}
