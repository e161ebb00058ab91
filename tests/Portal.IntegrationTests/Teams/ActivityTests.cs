using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Teams;

/// <summary>Activity rows and audit entries name the asset and version they are about; an event keeps only the subject's id.</summary>
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

        var workspace = await app.InScopeAsync<TeamService, Result<TeamWorkspace>>(s => s.GetWorkspaceAsync(viewer, "marketing"));

        Assert.True(workspace.IsSuccess);
        Assert.Contains(workspace.Value.RecentActivity, a => a.SubjectType == "version" && a.Subject is { Version: not null });
    }

    [Fact]
    public async Task An_audit_search_names_each_entry_s_asset_and_version_and_keeps_its_id()
    {
        var admin = await app.CallerAsync(await app.SignInAsync("audit-names-admin", "Audit Names Admin", "marketing-admins"));

        var page = await app.InScopeAsync<AuditQueryService, Result<AuditPage>>(s =>
            s.SearchAsync(admin, new AuditFilter { Team = "marketing", Asset = "churn-classifier", Limit = 100 }, CancellationToken.None));

        Assert.True(page.IsSuccess);
        var versionEntry = page.Value.Items.First(e => e is { SubjectType: "version", Subject.Version: "1.0.0" });
        Assert.Equal("churn-classifier", versionEntry.Subject!.Asset);
        Assert.True(Guid.TryParse(versionEntry.SubjectId, out _));
        Assert.All(page.Value.Items, e => Assert.Equal("churn-classifier", e.Subject?.Asset));
    }
}
