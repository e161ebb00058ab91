using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Teams;

/// <summary>Service-principal tokens against the real API; runs on SQLite and PostgreSQL.</summary>
public abstract class ApiTokenTests(PortalApp app)
{
    private HttpClient Client(string? token)
    {
        var client = app.CreateClient();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string? Code, string ContentType)> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var code = json.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
        return (response.StatusCode, code, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    private async Task<PortalDbContext> DbAsync() => await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task Valid_token_reads_its_own_team()
    {
        var token = await app.IssueTokenAsync("marketing", TeamRole.Contributor);

        var response = await Client(token).GetAsync("/api/v1/teams/marketing");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("marketing", json.RootElement.GetProperty("team").GetProperty("slug").GetString());
        Assert.Equal("Contributor", json.RootElement.GetProperty("team").GetProperty("myRole").GetString());
    }

    [Fact]
    public async Task Token_of_another_team_gets_404_problem()
    {
        var token = await app.IssueTokenAsync("marketing", TeamRole.Approver);

        var problem = await ProblemAsync(await Client(token).GetAsync("/api/v1/teams/finance"));
        var members = await ProblemAsync(await Client(token).GetAsync("/api/v1/teams/finance/members"));

        Assert.Equal((HttpStatusCode.NotFound, "team.not-found", "application/problem+json"), problem);
        Assert.Equal((HttpStatusCode.NotFound, "team.not-found"), (members.Status, members.Code));
    }

    [Fact]
    public async Task Team_list_shows_only_the_tokens_team()
    {
        var token = await app.IssueTokenAsync("finance", TeamRole.Viewer);

        var teams = await Client(token).GetFromJsonAsync<JsonElement>("/api/v1/teams");

        Assert.Equal(["finance"], teams.EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task Missing_token_gets_401_problem()
    {
        var response = await Client(null).GetAsync("/api/v1/teams");

        Assert.Equal((HttpStatusCode.Unauthorized, "auth.required", "application/problem+json"), await ProblemAsync(response));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Unknown_token_gets_401_token_invalid()
    {
        var problem = await ProblemAsync(await Client("ptk_" + new string('A', 43)).GetAsync("/api/v1/teams"));

        Assert.Equal((HttpStatusCode.Unauthorized, "token.invalid"), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task Expired_token_gets_401_token_expired()
    {
        var token = await app.IssueTokenAsync("marketing", TeamRole.Viewer);
        await using (var db = await DbAsync())
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
            var row = await db.ApiTokens.SingleAsync(t => t.SecretHash == hash);
            row.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        var problem = await ProblemAsync(await Client(token).GetAsync("/api/v1/teams/marketing"));

        Assert.Equal((HttpStatusCode.Unauthorized, "token.expired"), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task Revoked_token_stops_working_at_once_and_revocation_is_audited()
    {
        var token = await app.IssueTokenAsync("finance", TeamRole.Contributor);
        Assert.Equal(HttpStatusCode.OK, (await Client(token).GetAsync("/api/v1/teams/finance")).StatusCode);
        var admin = await app.CallerAsync(await app.SignInAsync("admin-finance", "Admin finance", "finance-admins"));
        var id = (await app.InScopeAsync<ApiTokenService, Portal.Core.Common.Result<IReadOnlyList<ApiTokenView>>>(s => s.ListAsync(admin, "finance")))
            .Value.Single(t => token.StartsWith(t.Prefix, StringComparison.Ordinal)).Id;

        await app.InScopeAsync<ApiTokenService, Portal.Core.Common.Result>(s => s.RevokeAsync(admin, "finance", id));
        var problem = await ProblemAsync(await Client(token).GetAsync("/api/v1/teams/finance"));

        Assert.Equal((HttpStatusCode.Unauthorized, "token.revoked"), (problem.Status, problem.Code));
        await using var db = await DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "token.revoked" && e.SubjectId == id.ToString()));
    }

    [Fact]
    public async Task Viewer_token_may_not_grant_roles()
    {
        var token = await app.IssueTokenAsync("marketing", TeamRole.Viewer);

        var response = await Client(token).PostAsJsonAsync("/api/v1/teams/marketing/members", new { email = "x@example.com", role = "Viewer" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Token_is_stored_only_as_a_hash_and_its_creation_is_audited_without_the_secret()
    {
        var token = await app.IssueTokenAsync("marketing", TeamRole.Contributor);

        await using var db = await DbAsync();
        var rows = await db.ApiTokens.AsNoTracking().ToListAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Action == "token.created").ToListAsync();
        Assert.DoesNotContain(rows, r => r.SecretHash.Contains(token[4..20], StringComparison.Ordinal));
        Assert.Contains(rows, r => token.StartsWith(r.Prefix, StringComparison.Ordinal));
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.DoesNotContain(token, e.After ?? ""));
    }

    [Fact]
    public async Task Token_role_and_lifetime_are_validated()
    {
        var admin = await app.CallerAsync(await app.SignInAsync("admin-marketing", "Admin marketing", "marketing-admins"));

        var result = await app.InScopeAsync<ApiTokenService, Portal.Core.Common.Result<IssuedApiToken>>(s =>
            s.CreateAsync(admin, "marketing", "", (TeamRole)99, 0));

        Assert.Equal("token.invalid", result.Error?.Code);
        Assert.Equal(["lifetimeDays", "name", "role"], result.Error!.Fields!.Keys.Order());
    }

    [Fact]
    public async Task Expiry_job_records_each_lapsed_token_once()
    {
        var token = await app.IssueTokenAsync("finance", TeamRole.Viewer);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        Guid id;
        await using (var db = await DbAsync())
        {
            var row = await db.ApiTokens.SingleAsync(t => t.SecretHash == hash);
            row.ExpiresAt = DateTimeOffset.UtcNow.AddHours(-1);
            id = row.Id;
            await db.SaveChangesAsync();
        }

        await app.InScopeAsync<RecordExpiredApiTokensJob, int>(j => j.RunAsync(CancellationToken.None));
        await app.InScopeAsync<RecordExpiredApiTokensJob, int>(j => j.RunAsync(CancellationToken.None));

        await using var check = await DbAsync();
        Assert.Equal(1, await check.AuditEvents.CountAsync(e => e.Action == "token.expired" && e.SubjectId == id.ToString()));
    }
}

public sealed class ApiTokenTests_Sqlite(SqlitePortal app) : ApiTokenTests(app), IClassFixture<SqlitePortal>;

public sealed class ApiTokenTests_PostgreSql(PostgresPortal app) : ApiTokenTests(app), IClassFixture<PostgresPortal>;
