using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;
using Portal.Web.Auth;

namespace Portal.IntegrationTests.Teams;

/// <summary>Disabling people and removing memberships: who may, and that it bites on the very next request, token and open page.</summary>
public abstract class UserAdminServiceTests(PortalApp app)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private Task<SignedInUser> PlatformAdminAsync() => app.SignInAsync(Unique("pat"), "Platform Admin", "portal-admins");

    private async Task<Result> SetDisabledAsync(SignedInUser by, Guid userId, bool disabled)
    {
        var caller = await app.CallerAsync(by);
        return await app.InScopeAsync<UserAdminService, Result>(s => s.SetDisabledAsync(caller, userId, disabled));
    }

    private async Task<string> IssueTokenAsync(SignedInUser issuer, string team, TeamRole role = TeamRole.Contributor)
    {
        var caller = await app.CallerAsync(issuer);
        var issued = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s => s.CreateAsync(caller, team, "pipeline", role, 30));
        return issued.Value.Secret;
    }

    private Task<(HttpStatusCode Status, string? Code)> CallApiAsync(string token) => TokenCalls.ReadMarketingAsync(app, token);

    /// <summary>Opens a circuit the way Blazor does: the user's authentication state, then the circuit handlers.</summary>
    private async Task<(AsyncServiceScope Circuit, AuthenticationStateProvider State)> OpenCircuitAsync(SignedInUser user)
    {
        var scope = app.Services.CreateAsyncScope();
        var state = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var principal = await app.CookiePrincipalAsync(user.UserId);
        ((RevalidatingPortalAuthenticationStateProvider)state).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        // Circuit has no public constructor; the handler reads the user from the circuit's own state provider, not from it.
        var circuit = (Circuit)RuntimeHelpers.GetUninitializedObject(typeof(Circuit));
        foreach (var handler in scope.ServiceProvider.GetServices<CircuitHandler>())
            await handler.OnCircuitOpenedAsync(circuit, CancellationToken.None);
        return (scope, state);
    }

    private static async Task<bool> SignedInAsync(AuthenticationStateProvider state) =>
        (await state.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

    [Fact]
    public async Task Listing_users_is_refused_to_a_team_admin()
    {
        var admin = await app.SignInAsync(Unique("ta"), "Team Admin", "marketing-admins");
        var caller = await app.CallerAsync(admin);

        var result = await app.InScopeAsync<UserAdminService, Result<IReadOnlyList<UserSummary>>>(s => s.ListAsync(caller, null));

        Assert.Equal("platform.forbidden", result.Error?.Code);
    }

    [Fact]
    public async Task Auditor_lists_users_found_by_name_or_email()
    {
        var subject = Unique("findme");
        await app.SignInAsync(subject, "Quentin Searchable", "finance-viewers");
        var auditor = await app.CallerAsync(await app.SignInAsync(Unique("aud"), "Auditor", "portal-auditors"));

        var byName = await app.InScopeAsync<UserAdminService, Result<IReadOnlyList<UserSummary>>>(s => s.ListAsync(auditor, "quentin sEARCH"));
        var byEmail = await app.InScopeAsync<UserAdminService, Result<IReadOnlyList<UserSummary>>>(s => s.ListAsync(auditor, subject + "@EXAMPLE"));

        var found = Assert.Single(byName.Value);
        Assert.Equal((subject + "@example.com", 1, false), (found.Email, found.TeamCount, found.IsDisabled));
        Assert.Equal(found.Id, Assert.Single(byEmail.Value).Id);
    }

    [Fact]
    public async Task Auditor_cannot_disable_anyone()
    {
        var target = await app.SignInAsync(Unique("t"), "Target", "finance-viewers");
        var auditor = await app.SignInAsync(Unique("aud"), "Auditor", "portal-auditors");

        var result = await SetDisabledAsync(auditor, target.UserId, true);

        Assert.Equal("platform.forbidden", result.Error?.Code);
    }

    [Fact]
    public async Task Platform_admin_cannot_disable_their_own_account()
    {
        var admin = await PlatformAdminAsync();

        var result = await SetDisabledAsync(admin, admin.UserId, true);

        Assert.Equal("user.self-disable", result.Error?.Code);
    }

    [Fact]
    public async Task Disabling_an_unknown_user_is_not_found()
    {
        var result = await SetDisabledAsync(await PlatformAdminAsync(), Guid.NewGuid(), true);

        Assert.Equal("user.not-found", result.Error?.Code);
    }

    [Fact]
    public async Task Disabling_changes_the_stamp_and_is_audited_once_however_often_repeated()
    {
        var admin = await PlatformAdminAsync();
        var target = await app.SignInAsync(Unique("t"), "Target", "finance-viewers");

        Assert.True((await SetDisabledAsync(admin, target.UserId, true)).IsSuccess);
        Assert.True((await SetDisabledAsync(admin, target.UserId, true)).IsSuccess);

        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.Id == target.UserId);
        Assert.True(user.IsDisabled);
        Assert.NotEqual(target.SecurityStamp, user.SecurityStamp);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "user.disabled" && e.SubjectId == target.UserId.ToString()));
    }

    [Fact]
    public async Task Token_of_a_disabled_issuer_is_refused_on_the_next_request_and_works_again_once_enabled()
    {
        var admin = await PlatformAdminAsync();
        var issuer = await app.SignInAsync(Unique("issuer"), "Issuer", "marketing-admins");
        var token = await IssueTokenAsync(issuer, "marketing");
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(token)).Status);

        await SetDisabledAsync(admin, issuer.UserId, true);
        var refused = await CallApiAsync(token);
        await SetDisabledAsync(admin, issuer.UserId, false);

        Assert.Equal((HttpStatusCode.Unauthorized, "token.issuer-revoked"), refused);
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(token)).Status);
    }

    [Fact]
    public async Task Token_issued_by_a_platform_admin_outside_the_team_works_through_the_global_role_until_they_are_disabled()
    {
        var admin = await PlatformAdminAsync();
        var issuer = await PlatformAdminAsync();
        var token = await IssueTokenAsync(issuer, "marketing", TeamRole.Viewer);
        var working = await CallApiAsync(token);

        await SetDisabledAsync(admin, issuer.UserId, true);

        Assert.Equal(HttpStatusCode.OK, working.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "token.issuer-revoked"), await CallApiAsync(token));
    }

    [Fact]
    public async Task Token_is_refused_once_its_issuer_no_longer_administers_the_team()
    {
        var admin = await PlatformAdminAsync();
        var issuer = await app.SignInAsync(Unique("issuer"), "Local Admin");
        var email = await EmailOfAsync(issuer.UserId);
        var grant = await app.InScopeAsync<MembershipService, Result<MemberRole>>(async s => await s.GrantAsync(await app.CallerAsync(admin), "marketing", email, TeamRole.TeamAdmin));
        var token = await IssueTokenAsync(issuer, "marketing");
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(token)).Status);

        var revoked = await app.InScopeAsync<MembershipService, Result>(async s => await s.RevokeAsync(await app.CallerAsync(admin), "marketing", grant.Value.MembershipId));

        Assert.True(revoked.IsSuccess);
        Assert.Equal((HttpStatusCode.Unauthorized, "token.issuer-revoked"), await CallApiAsync(token));
    }

    [Fact]
    public async Task Disabling_a_user_signs_out_their_open_circuits_at_once()
    {
        var admin = await PlatformAdminAsync();
        var target = await app.SignInAsync(Unique("t"), "Target", "finance-viewers");
        var (circuit, state) = await OpenCircuitAsync(target);
        await using (circuit)
        {
            Assert.True(await SignedInAsync(state));
            Assert.Equal(1, app.Service<OpenCircuits>().CountFor(target.UserId));

            await SetDisabledAsync(admin, target.UserId, true);

            Assert.False(await SignedInAsync(state));
        }
        Assert.Equal(0, app.Service<OpenCircuits>().CountFor(target.UserId));
    }

    [Fact]
    public async Task Removing_a_membership_signs_out_the_members_open_circuits_at_once()
    {
        var admin = await app.CallerAsync(await PlatformAdminAsync());
        var member = await app.SignInAsync(Unique("m"), "Member");
        var grant = await app.InScopeAsync<MembershipService, Result<MemberRole>>(async s => await s.GrantAsync(admin, "finance", await EmailOfAsync(member.UserId), TeamRole.Contributor));
        var (circuit, state) = await OpenCircuitAsync(member);
        await using (circuit)
        {
            var unrelated = await OpenCircuitAsync(await app.SignInAsync(Unique("o"), "Other", "finance-viewers"));
            await using (unrelated.Circuit)
            {
                await app.InScopeAsync<MembershipService, Result>(s => s.RevokeAsync(admin, "finance", grant.Value.MembershipId));

                Assert.False(await SignedInAsync(state));
                Assert.True(await SignedInAsync(unrelated.State));
            }
        }
    }

    private async Task<string> EmailOfAsync(Guid userId)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.Email!).SingleAsync();
    }
}

public sealed class UserAdminServiceTests_Sqlite(SqlitePortal app) : UserAdminServiceTests(app), IClassFixture<SqlitePortal>;

public sealed class UserAdminServiceTests_PostgreSql(PostgresPortal app) : UserAdminServiceTests(app), IClassFixture<PostgresPortal>;
