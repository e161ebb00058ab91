using Portal.Core.Access;
using Portal.Web.Api;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Non-finite numbers and garbage in routes and queries get a problem with a code, never a 500.</summary>
public abstract class HostileQueryTests(PortalApp app)
{
    private const string Team = "marketing";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>A Ready version with a file, metrics and a model card: every GET has something real to find when its input is sane.</summary>
    private async Task<(HttpClient Client, string Asset)> ReadyAssetAsync()
    {
        var client = await app.ApiClientAsync(Team, TeamRole.Contributor);
        var asset = $"hq-{Guid.NewGuid():N}"[..12];
        (await client.PostAsJsonAsync($"/api/v1/teams/{Team}/assets", new { name = asset, kind = "PromptTemplate" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/v1/teams/{Team}/assets/{asset}/versions", new { version = "1.0.0" })).EnsureSuccessStatusCode();
        var text = Encoding.UTF8.GetBytes("Hello {{name}}");
        (await client.PutAsync($"/api/v1/teams/{Team}/assets/{asset}/versions/1.0.0/artifacts/prompt.hbs", new ByteArrayContent(text))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/v1/teams/{Team}/assets/{asset}/versions/1.0.0/metrics", new[] { new { name = "accuracy", value = 0.9 } })).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/teams/{Team}/assets/{asset}/versions/1.0.0/finalize", null)).EnsureSuccessStatusCode();
        return (client, asset);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("\"NaN\"")]
    [InlineData("Infinity")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public async Task Non_finite_metric_values_are_refused_with_a_field_message(string value)
    {
        var (client, asset) = await ReadyAssetAsync();
        await client.PostAsJsonAsync($"/api/v1/teams/{Team}/assets/{asset}/versions", new { version = "2.0.0" });

        var response = await client.PostAsync($"/api/v1/teams/{Team}/assets/{asset}/versions/2.0.0/metrics",
            new StringContent($"[{{\"name\":\"accuracy\",\"value\":{value}}}]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ProblemAsync(response)).GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Name.EndsWith("value", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    public async Task Non_finite_metric_thresholds_in_version_search_are_refused_with_a_field_message(string min)
    {
        var client = await app.ApiClientAsync(Team, TeamRole.Viewer);

        var response = await client.GetAsync($"/api/v1/teams/{Team}/versions?metric=accuracy&min={Uri.EscapeDataString(min)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("query.invalid", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("min", out _));
    }

    /// <summary>Values no parameter of any endpoint accepts: control and bidi characters, absurd length, number overflow.</summary>
    /// <remarks>NUL is absent: the HTTP server (Kestrel, and the test server alike) refuses it in a path before the portal sees it.</remarks>
    private static readonly string[] Garbage = ["a\r\nb", "\u0001", "x\u202Ey", new string('9', 3000), "NaN", "-1", "%ZZ", "../../etc/passwd"];

    private static readonly string[] NotParameters = ["ctx", "resolver", "r", "s"];

    [Fact]
    public async Task Garbage_in_any_route_or_query_parameter_of_any_GET_endpoint_is_a_problem_with_a_code_never_a_500()
    {
        var (client, asset) = await ReadyAssetAsync();
        var sane = new Dictionary<string, string>
        {
            ["team"] = Team, ["asset"] = asset, ["version"] = "1.0.0", ["path"] = "prompt.hbs", ["otherTeam"] = "finance",
            ["id"] = "1", ["alias"] = "champion", ["name"] = "some-policy", ["check"] = "holdout", ["run"] = Guid.NewGuid().ToString(),
            ["sha256"] = new string('a', 64),
        };
        var endpoints = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            // Global-role endpoints refuse every team token before reading a parameter: nothing to probe with one.
            .Where(e => !(EndpointPermissions.Table.GetValueOrDefault(e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "") is { } action
                && AccessGate.NeedsGlobalRole(action)))
            .ToList();
        Assert.True(endpoints.Count >= 12, $"Only {endpoints.Count} GET endpoints found.");
        var failures = new List<string>();
        var tried = 0;

        foreach (var endpoint in endpoints)
        {
            var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var queryNames = (endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [])
                .Where(p => !routeNames.Contains(p.Name!) && !NotParameters.Contains(p.Name) && IsSimple(p.ParameterType))
                .Select(p => p.Name!).ToList();
            string Url(string? garbageRoute, string? value, string? garbageQuery)
            {
                var path = string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p => p.Name == garbageRoute ? Uri.EscapeDataString(value!) : sane[p.Name],
                    _ => "",
                }))));
                var query = queryNames.Where(q => q == garbageQuery || RequiredQuery.ContainsKey(q))
                    .Select(q => $"{q}={Uri.EscapeDataString(q == garbageQuery ? value! : RequiredQuery[q])}");
                return "/" + path + "?" + string.Join('&', query);
            }

            // An endpoint that refuses this Contributor outright (the audit log is for Auditors and TeamAdmins)
            // answers 403 to any value: the authorization matrices cover it, there is nothing to probe here.
            if ((await client.GetAsync(Url(null, null, null))).StatusCode == HttpStatusCode.Forbidden)
                continue;
            foreach (var value in Garbage)
            {
                foreach (var route in routeNames)
                    failures.AddRange(await CheckAsync(client, Url(route, value, null), null, value));
                foreach (var query in queryNames)
                    failures.AddRange(await CheckAsync(client, Url(null, value, query), query, value));
                tried += routeNames.Count + queryNames.Count;
            }
        }

        Assert.True(tried > 100, $"Only {tried} requests were tried.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Query parameters an endpoint cannot do without, given sane values while another one gets garbage.</summary>
    private static readonly Dictionary<string, string> RequiredQuery = new() { ["from"] = "1.0.0", ["to"] = "1.0.0" };

    /// <summary>Garbage that is nevertheless a fair value for a parameter: any text is a search term, -1 a threshold.</summary>
    private static bool IsFairValue(string parameter, string value) => parameter switch
    {
        "q" or "tag" or "metric" or "team" or "target" or "asset" => value is "-1" or "NaN" or "../../etc/passwd" or "%ZZ",
        "min" => value is "-1",
        _ => false,
    };

    private static async Task<IEnumerable<string>> CheckAsync(HttpClient client, string url, string? queryParameter, string value)
    {
        var response = await client.GetAsync(url);
        var status = (int)response.StatusCode;
        // A route value that names nothing may be a 404 (a foreign team looks missing); a bad query value is a 400.
        var acceptable = queryParameter is null ? status is 400 or 404 : status == 400 || (status == 200 && IsFairValue(queryParameter, value));
        if (!acceptable)
            return [$"{status} {url}"];
        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return [$"{status} without problem details: {url}"];
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (!problem.RootElement.TryGetProperty("code", out var code) || code.GetString() is null or "server.error")
                return [$"{status} without a code: {url}"];
        }
        return [];
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(Guid);
    }
}

public sealed class HostileQueryTests_Sqlite(SqlitePortal app) : HostileQueryTests(app), IClassFixture<SqlitePortal>;

public sealed class HostileQueryTests_PostgreSql(PostgresPortal app) : HostileQueryTests(app), IClassFixture<PostgresPortal>;
