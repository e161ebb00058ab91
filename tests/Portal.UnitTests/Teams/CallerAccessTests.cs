using Portal.Core.Common;
using Portal.Core.Teams;

namespace Portal.UnitTests.Teams;

public sealed class CallerAccessTests
{
    private static CallerAccess Caller(TeamRole? marketing = null, params GlobalRole[] globals)
    {
        var teams = new Dictionary<string, TeamAccess>();
        if (marketing is { } role)
            teams["marketing"] = new TeamAccess(Guid.NewGuid(), "marketing", "Marketing", role);
        return new CallerAccess(Actor.System("test"), globals.ToHashSet(), teams);
    }

    [Fact]
    public void Member_sees_own_team_but_not_another()
    {
        var caller = Caller(TeamRole.Viewer);

        Assert.True(caller.CanView("marketing"));
        Assert.False(caller.CanView("finance"));
    }

    [Theory]
    [InlineData(TeamRole.Viewer, TeamRole.Contributor, false)]
    [InlineData(TeamRole.Contributor, TeamRole.Contributor, true)]
    [InlineData(TeamRole.Approver, TeamRole.Contributor, true)]
    [InlineData(TeamRole.TeamAdmin, TeamRole.Approver, true)]
    [InlineData(TeamRole.Contributor, TeamRole.Approver, false)]
    public void Roles_are_ordered(TeamRole held, TeamRole needed, bool allowed) =>
        Assert.Equal(allowed, Caller(held).Has("marketing", needed));

    [Fact]
    public void Auditor_reads_every_team_but_holds_no_team_role()
    {
        var auditor = Caller(null, GlobalRole.Auditor);

        Assert.True(auditor.CanView("finance"));
        Assert.False(auditor.Has("finance", TeamRole.Viewer));
        Assert.False(auditor.CanManageTeam("finance"));
    }

    [Fact]
    public void Platform_admin_may_administer_any_team_without_contributing()
    {
        var admin = Caller(null, GlobalRole.PlatformAdmin);

        Assert.True(admin.CanManageTeam("finance"));
        Assert.False(admin.Has("finance", TeamRole.Contributor));
    }

    [Fact]
    public void Only_team_admins_manage_their_team()
    {
        Assert.False(Caller(TeamRole.Approver).CanManageTeam("marketing"));
        Assert.True(Caller(TeamRole.TeamAdmin).CanManageTeam("marketing"));
    }
}
