using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Teams;

/// <summary>A token never carries more than its issuer's own role in its team, when issued and on every request after.</summary>
public abstract class TokenAuthorityTests(PortalApp app)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<Result<IssuedApiToken>> IssueAsync(SignedInUser issuer, TeamRole role)
    {
        var caller = await app.CallerAsync(issuer);
        return await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s => s.CreateAsync(caller, "marketing", "pipeline", role, 30));
    }

    private Task<(HttpStatusCode Status, string? Code)> CallAsync(string token) => TokenCalls.ReadMarketingAsync(app, token);

    [Theory]
    [InlineData(TeamRole.Contributor)]
    [InlineData(TeamRole.Approver)]
    [InlineData(TeamRole.TeamAdmin)]
    public async Task A_platform_admin_outside_the_team_cannot_issue_a_token_above_viewer(TeamRole role)
    {
        var admin = await app.SignInAsync(Unique("pat"), "Platform Admin", "portal-admins");

        var refused = await IssueAsync(admin, role);
        var viewer = await IssueAsync(admin, TeamRole.Viewer);

        Assert.Equal("token.invalid", refused.Error!.Code);
        Assert.Contains("Viewer", refused.Error.Fields!["role"][0]);
        Assert.True(viewer.IsSuccess, viewer.Error?.Message);
    }

    [Fact]
    public async Task A_token_above_its_issuers_role_is_refused_once_the_issuer_leaves_the_team()
    {
        var admin = await app.SignInAsync(Unique("pat"), "Platform Admin", "portal-admins");
        var issuer = await app.SignInAsync(Unique("pat"), "Platform Admin And Approver", "portal-admins");
        string email;
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            email = await db.Users.Where(u => u.Id == issuer.UserId).Select(u => u.Email!).SingleAsync();
        var grant = await app.InScopeAsync<MembershipService, Result<MemberRole>>(async s => await s.GrantAsync(await app.CallerAsync(admin), "marketing", email, TeamRole.TeamAdmin));
        var token = (await IssueAsync(issuer, TeamRole.Approver)).Value.Secret;
        var working = await CallAsync(token);

        await app.InScopeAsync<MembershipService, Result>(async s => await s.RevokeAsync(await app.CallerAsync(admin), "marketing", grant.Value.MembershipId));

        // Still a PlatformAdmin, who manages the team's tokens, but no longer an Approver there: the Approver token stops, and the list says so.
        Assert.Equal(HttpStatusCode.OK, working.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "token.issuer-revoked"), await CallAsync(token));
        var listed = await app.InScopeAsync<ApiTokenService, Result<IReadOnlyList<ApiTokenView>>>(async s => await s.ListAsync(await app.CallerAsync(admin), "marketing"));
        var row = Assert.Single(listed.Value, t => t.Prefix == token[..12]);
        Assert.Equal("Issuer lacks authority", row.StatusAt(DateTimeOffset.UtcNow));
    }
}

public sealed class TokenAuthorityTests_Sqlite(SqlitePortal app) : TokenAuthorityTests(app), IClassFixture<SqlitePortal>;

public sealed class TokenAuthorityTests_PostgreSql(PostgresPortal app) : TokenAuthorityTests(app), IClassFixture<PostgresPortal>;
