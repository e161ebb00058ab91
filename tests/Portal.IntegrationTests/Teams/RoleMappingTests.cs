using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Teams;

/// <summary>Group claims become team roles at each sign-in; runs on SQLite and PostgreSQL.</summary>
public abstract class RoleMappingTests(PortalApp app)
{
    private async Task<PortalDbContext> DbAsync() => await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task Sign_in_maps_group_claims_to_team_roles()
    {
        var user = await app.SignInAsync($"s-{Guid.NewGuid():N}", "Maya", "marketing-contributors", "finance-viewers");

        var caller = await app.CallerAsync(user);

        Assert.Equal(TeamRole.Contributor, caller.RoleIn("marketing"));
        Assert.Equal(TeamRole.Viewer, caller.RoleIn("finance"));
        Assert.Empty(caller.GlobalRoles);
    }

    [Fact]
    public async Task Removing_a_group_revokes_the_role_at_the_next_sign_in()
    {
        var subject = $"s-{Guid.NewGuid():N}";
        var first = await app.SignInAsync(subject, "Victor", "marketing-approvers");

        var second = await app.SignInAsync(subject, "Victor");

        Assert.Null((await app.CallerAsync(second)).RoleIn("marketing"));
        Assert.NotEqual(first.SecurityStamp, second.SecurityStamp);
        await using var db = await DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "membership.revoked" && e.ActorId == second.UserId.ToString()));
    }

    [Fact]
    public async Task Unchanged_groups_keep_the_security_stamp()
    {
        var subject = $"s-{Guid.NewGuid():N}";
        var first = await app.SignInAsync(subject, "Grace", "finance-approvers");

        var second = await app.SignInAsync(subject, "Grace", "finance-approvers");

        Assert.Equal(first.SecurityStamp, second.SecurityStamp);
        Assert.Equal(first.UserId, second.UserId);
    }

    [Fact]
    public async Task Groups_without_a_mapping_or_for_unknown_teams_grant_nothing()
    {
        var user = await app.SignInAsync($"s-{Guid.NewGuid():N}", "Nobody", "all-staff", "legal-admins");

        var caller = await app.CallerAsync(user);

        Assert.Empty(caller.Teams);
        Assert.Empty(caller.GlobalRoles);
    }

    [Fact]
    public async Task Global_roles_come_from_groups()
    {
        var user = await app.SignInAsync($"s-{Guid.NewGuid():N}", "Aude", "portal-auditors");

        var caller = await app.CallerAsync(user);

        Assert.Equal([GlobalRole.Auditor], caller.GlobalRoles);
        Assert.True(caller.Allows(PortalAction.ViewTeam, "finance"));
    }

    [Fact]
    public async Task Local_grant_survives_sign_in_and_highest_role_wins()
    {
        var admin = await app.CallerAsync(await app.SignInAsync($"s-{Guid.NewGuid():N}", "Tomas", "marketing-admins"));
        var subject = $"s-{Guid.NewGuid():N}";
        await app.SignInAsync(subject, "Sam", "marketing-viewers");

        var grant = await app.InScopeAsync<MembershipService, Portal.Core.Common.Result<MemberRole>>(m =>
            m.GrantAsync(admin, "marketing", $"{subject}@example.com", TeamRole.Approver));
        var again = await app.SignInAsync(subject, "Sam", "marketing-viewers");

        Assert.True(grant.IsSuccess);
        Assert.Equal(TeamRole.Approver, (await app.CallerAsync(again)).RoleIn("marketing"));
    }

    [Fact]
    public async Task Idp_derived_role_cannot_be_revoked_locally()
    {
        var admin = await app.CallerAsync(await app.SignInAsync($"s-{Guid.NewGuid():N}", "Tomas", "marketing-admins"));
        var member = await app.SignInAsync($"s-{Guid.NewGuid():N}", "Victor", "marketing-viewers");
        var members = await app.InScopeAsync<MembershipService, Portal.Core.Common.Result<IReadOnlyList<Member>>>(m => m.ListAsync(admin, "marketing"));
        var idpRole = members.Value.Single(m => m.UserId == member.UserId).Roles.Single();

        var result = await app.InScopeAsync<MembershipService, Portal.Core.Common.Result>(m => m.RevokeAsync(admin, "marketing", idpRole.MembershipId));

        Assert.Equal("membership.idp-managed", result.Error?.Code);
    }

    [Fact]
    public async Task Contributor_cannot_grant_roles()
    {
        var contributor = await app.CallerAsync(await app.SignInAsync($"s-{Guid.NewGuid():N}", "Maya", "marketing-contributors"));

        var result = await app.InScopeAsync<MembershipService, Portal.Core.Common.Result<MemberRole>>(m =>
            m.GrantAsync(contributor, "marketing", "maya@example.com", TeamRole.TeamAdmin));

        Assert.Equal("team.forbidden", result.Error?.Code);
    }

    [Fact]
    public async Task Disabled_user_is_refused_at_sign_in_and_loses_access()
    {
        var subject = $"s-{Guid.NewGuid():N}";
        var user = await app.SignInAsync(subject, "Felix", "finance-viewers");
        await using (var db = await DbAsync())
        {
            var row = await db.Users.SingleAsync(u => u.Id == user.UserId);
            row.IsDisabled = true;
            await db.SaveChangesAsync();
        }

        var again = await app.InScopeAsync<SignInService, Portal.Core.Common.Result<SignedInUser>>(s =>
            s.SignInAsync(new SignInIdentity("https://idp.test/", subject, "Felix", null, ["finance-viewers"]), null, null));
        var access = await app.InScopeAsync<AccessService, CallerAccess?>(a => a.ForUserAsync(user.UserId, Portal.Core.Common.Actor.ForUser(user.UserId, "Felix")));

        Assert.Equal("user.disabled", again.Error?.Code);
        Assert.Null(access);
        Assert.Null(await app.InScopeAsync<AccessService, string?>(a => a.SecurityStampAsync(user.UserId)));
    }
}

public sealed class RoleMappingTests_Sqlite(SqlitePortal app) : RoleMappingTests(app), IClassFixture<SqlitePortal>;

public sealed class RoleMappingTests_PostgreSql(PostgresPortal app) : RoleMappingTests(app), IClassFixture<PostgresPortal>;
