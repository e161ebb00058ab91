using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Teams;

namespace Portal.UnitTests.Access;

public sealed class AccessGateTests
{
    private static CallerAccess Caller(TeamRole? marketing = null, params GlobalRole[] globals)
    {
        var teams = new Dictionary<string, TeamAccess>();
        if (marketing is { } role)
            teams["marketing"] = new TeamAccess(Guid.NewGuid(), "marketing", "Marketing", role);
        return new CallerAccess(Actor.System("test"), globals.ToHashSet(), teams);
    }

    [Fact]
    public void Member_sees_own_team_but_another_team_is_not_visible()
    {
        var caller = Caller(TeamRole.Viewer);

        Assert.Equal(AccessDecision.Allowed, AccessGate.Decide(caller, PortalAction.ViewTeam, AccessTarget.Team("marketing")));
        Assert.Equal(AccessDecision.NotVisible, AccessGate.Decide(caller, PortalAction.ViewTeam, AccessTarget.Team("finance")));
        Assert.Equal("team.not-found", AccessGate.Check(caller, PortalAction.RegisterAssets, "finance")!.Code);
    }

    [Theory]
    [InlineData(TeamRole.Viewer, PortalAction.RegisterAssets, false)]
    [InlineData(TeamRole.Contributor, PortalAction.RegisterAssets, true)]
    [InlineData(TeamRole.Approver, PortalAction.RegisterAssets, true)]
    [InlineData(TeamRole.Approver, PortalAction.ManageMembers, false)]
    [InlineData(TeamRole.TeamAdmin, PortalAction.ManageMembers, true)]
    [InlineData(TeamRole.Contributor, PortalAction.ShareAssets, false)]
    [InlineData(TeamRole.TeamAdmin, PortalAction.ShareAssets, true)]
    [InlineData(TeamRole.Contributor, PortalAction.ViewApiTokens, false)]
    [InlineData(TeamRole.TeamAdmin, PortalAction.ManageApiTokens, true)]
    [InlineData(TeamRole.Approver, PortalAction.ManageArchiving, false)]
    [InlineData(TeamRole.TeamAdmin, PortalAction.ManageArchiving, true)]
    [InlineData(TeamRole.TeamAdmin, PortalAction.ManageArchiveDefaults, false)]
    public void Team_roles_are_ordered(TeamRole held, PortalAction action, bool allowed) =>
        Assert.Equal(allowed, Caller(held).Allows(action, "marketing"));

    [Fact]
    public void Too_low_a_role_is_forbidden_with_what_was_refused()
    {
        var error = AccessGate.Check(Caller(TeamRole.Viewer), PortalAction.RegisterAssets, "marketing");

        Assert.Equal("team.forbidden", error!.Code);
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Contains("change assets", error.Message);
    }

    [Fact]
    public void Auditor_reads_every_team_but_changes_nothing()
    {
        var auditor = Caller(null, GlobalRole.Auditor);

        Assert.True(auditor.Allows(PortalAction.ViewTeam, "finance"));
        Assert.True(auditor.Allows(PortalAction.ViewApiTokens, "finance"));
        Assert.True(auditor.Allows(PortalAction.ViewUsers));
        Assert.False(auditor.Allows(PortalAction.RegisterAssets, "finance"));
        Assert.False(auditor.Allows(PortalAction.ManageApiTokens, "finance"));
        Assert.False(auditor.Allows(PortalAction.ManageUsers));
        Assert.Equal(AccessDecision.Forbidden, AccessGate.Decide(auditor, PortalAction.ManageMembers, AccessTarget.Team("finance")));
    }

    [Fact]
    public void Platform_admin_administers_any_team_without_contributing()
    {
        var admin = Caller(null, GlobalRole.PlatformAdmin);

        Assert.True(admin.Allows(PortalAction.ManageMembers, "finance"));
        Assert.True(admin.Allows(PortalAction.CreateTeams));
        Assert.False(admin.Allows(PortalAction.RegisterAssets, "finance"));
        Assert.False(admin.Allows(PortalAction.ShareAssets, "finance"));
    }

    [Fact]
    public void A_share_lets_another_team_read_but_never_write()
    {
        var financeViewer = new CallerAccess(Actor.System("test"), new HashSet<GlobalRole>(),
            new Dictionary<string, TeamAccess> { ["finance"] = new(Guid.NewGuid(), "finance", "Finance", TeamRole.TeamAdmin) });
        var shared = AccessTarget.Asset("marketing", "churn", sharedWithCaller: true);
        var notShared = AccessTarget.Asset("marketing", "churn", sharedWithCaller: false);

        Assert.True(financeViewer.Allows(PortalAction.ReadAsset, shared));
        Assert.Equal("asset.read-only", AccessGate.Check(financeViewer, PortalAction.RegisterAssets, shared)!.Code);
        Assert.Equal("asset.not-found", AccessGate.Check(financeViewer, PortalAction.ReadAsset, notShared)!.Code);
        Assert.False(financeViewer.Allows(PortalAction.ViewTeam, "marketing"));
    }

    [Fact]
    public async Task A_share_is_looked_up_only_when_the_callers_own_roles_refuse()
    {
        var lookups = 0;
        Task<bool> Shared()
        {
            lookups++;
            return Task.FromResult(true);
        }
        var financeAdmin = new CallerAccess(Actor.System("test"), new HashSet<GlobalRole>(),
            new Dictionary<string, TeamAccess> { ["finance"] = new(Guid.NewGuid(), "finance", "Finance", TeamRole.TeamAdmin) });

        Assert.Null(await AccessGate.CheckAssetAsync(Caller(TeamRole.Contributor), PortalAction.RegisterAssets, "marketing", "churn", Shared));
        Assert.Null(await AccessGate.CheckAssetAsync(Caller(null, GlobalRole.Auditor), PortalAction.ReadAsset, "marketing", "churn", Shared));
        Assert.Equal(0, lookups);

        Assert.Null(await AccessGate.CheckAssetAsync(financeAdmin, PortalAction.ReadAsset, "marketing", "churn", Shared));
        Assert.Equal("asset.read-only", (await AccessGate.CheckAssetAsync(financeAdmin, PortalAction.RegisterAssets, "marketing", "churn", Shared))!.Code);
        Assert.Equal("asset.not-found",
            (await AccessGate.CheckAssetAsync(financeAdmin, PortalAction.ReadAsset, "marketing", "churn", () => Task.FromResult(false)))!.Code);
        Assert.Equal(2, lookups);
    }

    [Fact]
    public void Evidence_is_recorded_only_by_jobs_and_granted_tokens()
    {
        var grantedToken = Caller(TeamRole.Contributor) with { MayRecordEvidence = true };
        var grantedViewerToken = Caller(TeamRole.Viewer) with { MayRecordEvidence = true };
        var job = CallerAccess.ForJob(Actor.Job("run-golden-checks"));

        Assert.False(Caller(TeamRole.TeamAdmin).Allows(PortalAction.RecordEvidence, "marketing"));
        Assert.False(Caller(null, GlobalRole.PlatformAdmin).Allows(PortalAction.RecordEvidence, "marketing"));
        Assert.False(grantedViewerToken.Allows(PortalAction.RecordEvidence, "marketing"));
        Assert.True(grantedToken.Allows(PortalAction.RecordEvidence, "marketing"));
        Assert.True(job.Allows(PortalAction.RecordEvidence, "finance"));
        Assert.False(job.Allows(PortalAction.ManageMembers, "finance"));
    }

    [Fact]
    public void Anonymous_and_disabled_callers_hold_no_right()
    {
        foreach (var action in Enum.GetValues<PortalAction>())
            Assert.False(CallerAccess.Anonymous.Allows(action, AccessTarget.Asset("marketing", "churn", false)), action.ToString());
    }

    [Fact]
    public void Platform_actions_refuse_with_a_platform_code()
    {
        var error = AccessGate.Check(Caller(TeamRole.TeamAdmin), PortalAction.CreateTeams);

        Assert.Equal("platform.forbidden", error!.Code);
    }
}
