using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Teams;

/// <summary>Activity rows name the asset and version they are about; an event keeps only the subject's id.</summary>
public sealed class ActivityTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task Recent_activity_names_the_versions_and_assets_it_is_about_and_leaves_other_subjects_by_id()
    {
        var viewer = await app.CallerAsync(await app.SignInAsync("activity-viewer", "Activity Viewer", "marketing-viewers"));

        var rows = await app.InScopeAsync<TeamService, IReadOnlyList<TeamActivityItem>>(s => s.RecentActivityAsync(viewer, 100));

        Assert.Contains(rows, r => r.Item is { SubjectType: "version", Subject: { Asset: "churn-classifier", Version: "1.1.0" } });
        Assert.Contains(rows, r => r.Item is { SubjectType: "asset", Subject: { Asset: "churn-classifier", Version: null } });
        Assert.All(rows.Where(r => r.Item.SubjectType is not ("version" or "asset")), r => Assert.Null(r.Item.Subject));
        Assert.All(rows, r => Assert.Equal("marketing", r.TeamSlug));
    }

    [Fact]
    public async Task A_team_workspace_names_the_subjects_of_its_activity()
    {
        var viewer = await app.CallerAsync(await app.SignInAsync("workspace-viewer", "Workspace Viewer", "marketing-viewers"));

        var workspace = await app.InScopeAsync<TeamService, Portal.Core.Common.Result<TeamWorkspace>>(s => s.GetWorkspaceAsync(viewer, "marketing"));

        Assert.True(workspace.IsSuccess);
        Assert.Contains(workspace.Value.RecentActivity, a => a.SubjectType == "version" && a.Subject is { Version: not null });
    }
}
