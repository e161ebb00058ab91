using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Lifecycle.LifecycleScenario;

namespace Portal.IntegrationTests.Lifecycle;

/// <summary>Every way around the gate that a person or a pipeline might try is refused, and the attempt is audited.</summary>
public sealed class GateBypassTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private async Task<(LifecycleScenario S, CallerAccess Requester, long RequestId)> PendingAsync(string rules = "  - approvals: [{ count: 1, role: Approver }]")
    {
        var s = await CreateAsync(app, rules);
        var requester = await s.PersonAsync("marketing-contributors");
        await s.RegisterAsync(requester, "1.0.0", Scores(0.9, 0.9, 0.9));
        await s.RequestAsync(requester, "1.0.0", "Staging");
        var request = await s.RequestAsync(requester, "1.0.0", "Production");
        Assert.Equal(TransitionState.Pending, request.Value.State);
        return (s, requester, request.Value.Id);
    }

    [Fact]
    public async Task The_requester_cannot_approve_even_as_an_approver_and_the_attempt_is_audited()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver }]");
        var registrant = await s.PersonAsync("marketing-contributors");
        var requester = await s.PersonAsync("marketing-approvers");
        await s.RegisterAsync(registrant, "1.0.0", Scores(0.9, 0.9, 0.9));
        await s.RequestAsync(requester, "1.0.0", "Staging");
        var request = await s.RequestAsync(requester, "1.0.0", "Production");

        var result = await s.DecideAsync(requester, request.Value.Id);

        Assert.Equal("transition.separation-of-duties", result.Error!.Code);
        Assert.Equal(1, await s.AuditCountAsync("transition.decision-refused", request.Value.Id));
        Assert.Equal(Stage.Staging, await s.StageOfAsync("1.0.0"));
    }

    [Fact]
    public async Task The_registrant_cannot_approve()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver }]");
        var registrant = await s.PersonAsync("marketing-admins");
        var requester = await s.PersonAsync("marketing-contributors");
        await s.RegisterAsync(registrant, "1.0.0", Scores(0.9, 0.9, 0.9));
        await s.RequestAsync(requester, "1.0.0", "Staging");
        var request = await s.RequestAsync(requester, "1.0.0", "Production");

        Assert.Equal("transition.separation-of-duties", (await s.DecideAsync(registrant, request.Value.Id)).Error!.Code);
    }

    [Fact]
    public async Task A_token_cannot_approve_for_the_person_who_created_it()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver }]");
        var admin = await s.PersonAsync("marketing-admins");
        await s.RegisterAsync(admin, "1.0.0", Scores(0.9, 0.9, 0.9));
        await s.RequestAsync(admin, "1.0.0", "Staging");
        var request = await s.RequestAsync(admin, "1.0.0", "Production");
        var issued = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(x => x.CreateAsync(admin, "marketing", "my-approver", TeamRole.Approver, 1));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Value.Secret);

        var response = await client.PostAsJsonAsync($"/api/v1/transitions/{request.Value.Id}/approve", new { comment = "me again" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("transition.separation-of-duties", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_viewer_and_another_teams_approver_cannot_decide()
    {
        var (s, _, id) = await PendingAsync();
        var viewer = await s.PersonAsync("marketing-viewers");
        var financeApprover = await s.PersonAsync("finance-approvers");

        Assert.Equal("team.forbidden", (await s.DecideAsync(viewer, id)).Error!.Code);
        Assert.Equal("transition.not-found", (await s.DecideAsync(financeApprover, id)).Error!.Code);
        Assert.Equal(2, await s.AuditCountAsync("transition.decision-refused", id));
    }

    [Fact]
    public async Task A_decision_needs_a_comment()
    {
        var (s, _, id) = await PendingAsync();

        Assert.Equal("transition.comment-required", (await s.DecideAsync(await s.PersonAsync("marketing-approvers"), id, comment: "  ")).Error!.Code);
    }

    [Fact]
    public async Task A_replayed_approval_counts_once()
    {
        var (s, _, id) = await PendingAsync("  - approvals: [{ count: 2, role: Approver }]");
        var amara = await s.PersonAsync("marketing-approvers");

        Assert.True((await s.DecideAsync(amara, id)).IsSuccess);
        var replay = await s.DecideAsync(amara, id);

        Assert.Equal("transition.already-decided", replay.Error!.Code);
        Assert.Equal(Stage.Staging, await s.StageOfAsync("1.0.0"));
    }

    [Fact]
    public async Task Cancelled_and_expired_requests_cannot_be_decided()
    {
        var (s, requester, cancelledId) = await PendingAsync();
        var amara = await s.PersonAsync("marketing-approvers");
        Assert.True((await app.InScopeAsync<TransitionService, Result<TransitionView>>(x => x.CancelAsync(requester, cancelledId))).IsSuccess);
        Assert.Equal("transition.closed", (await s.DecideAsync(amara, cancelledId)).Error!.Code);

        var again = await s.RequestAsync(requester, "1.0.0", "Production");
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var row = await db.TransitionRequests.SingleAsync(r => r.Id == again.Value.Id);
            row.CreatedAt = row.CreatedAt.AddDays(-30);
            await db.SaveChangesAsync();
        }
        Assert.Equal("transition.expired", (await s.DecideAsync(amara, again.Value.Id)).Error!.Code);
        Assert.Equal("transition.closed", (await s.DecideAsync(amara, again.Value.Id)).Error!.Code);
    }

    [Fact]
    public async Task Only_the_requester_cancels()
    {
        var (s, _, id) = await PendingAsync();

        var someoneElse = await s.PersonAsync("marketing-contributors");
        var other = await app.InScopeAsync<TransitionService, Result<TransitionView>>(x => x.CancelAsync(someoneElse, id));

        Assert.Equal("transition.not-requester", other.Error!.Code);
    }

    [Fact]
    public async Task A_stage_cannot_be_set_by_editing_the_version()
    {
        var (s, _, _) = await PendingAsync();
        var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);

        var response = await client.PatchAsJsonAsync($"/api/v1/teams/marketing/assets/{s.Asset}/versions/1.0.0", new { stage = "Production", description = "sneaky" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Stage.Staging, await s.StageOfAsync("1.0.0"));
    }

    [Fact]
    public async Task A_protected_alias_moves_only_through_a_request()
    {
        var (s, requester, _) = await PendingAsync();
        var admin = await s.PersonAsync("marketing-admins");
        Assert.True((await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.MoveAsync(requester, "marketing", s.Asset, "champion", "1.0.0"))).IsSuccess);
        Assert.True((await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.SetProtectedAsync(admin, "marketing", s.Asset, "champion", true))).IsSuccess);

        var direct = await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.MoveAsync(admin, "marketing", s.Asset, "champion", "1.0.0"));
        var request = await s.RequestAsync(requester, "1.0.0", "alias:champion");

        Assert.Equal("alias.protected", direct.Error!.Code);
        Assert.Equal(TransitionState.Pending, request.Value.State);
        Assert.Equal([new Portal.Core.Policies.ApprovalRequirement(1, TeamRole.Approver, null)], request.Value.RequiredApprovals);
    }

    [Fact]
    public async Task A_team_admin_cannot_lift_an_alias_protection_to_move_it_around_the_gate()
    {
        var (s, requester, _) = await PendingAsync();
        var admin = await s.PersonAsync("marketing-admins");
        var platformAdmin = await s.PersonAsync("portal-admins");
        Assert.True((await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.MoveAsync(requester, "marketing", s.Asset, "champion", "1.0.0"))).IsSuccess);
        Assert.True((await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.SetProtectedAsync(admin, "marketing", s.Asset, "champion", true))).IsSuccess);

        var lifted = await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.SetProtectedAsync(admin, "marketing", s.Asset, "champion", false));
        var financeAdmin = await s.PersonAsync("finance-admins");
        var outsider = await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.SetProtectedAsync(financeAdmin, "marketing", s.Asset, "champion", false));

        Assert.Equal("platform.forbidden", lifted.Error!.Code);
        Assert.Equal("asset.not-found", outsider.Error!.Code);
        var byGovernance = await app.InScopeAsync<AliasService, Result<AliasView>>(x => x.SetProtectedAsync(platformAdmin, "marketing", s.Asset, "champion", false));
        Assert.True(byGovernance.IsSuccess, byGovernance.Error?.Message);
        Assert.False(byGovernance.Value.IsProtected);
    }

    [Fact]
    public async Task Rollback_restores_the_last_good_version_at_once_and_queues_a_review()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver }]");
        var maya = await s.PersonAsync("marketing-contributors");
        var amara = await s.PersonAsync("marketing-approvers");
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            await s.RegisterAsync(maya, version, Scores(0.9, 0.9, 0.9));
            await s.RequestAsync(maya, version, "Staging");
            await s.DecideAsync(amara, (await s.RequestAsync(maya, version, "Production")).Value.Id);
        }

        var refused = await app.InScopeAsync<AssetStagesService, Result<TransitionView>>(x => x.RollBackAsync(amara, "marketing", s.Asset, " "));
        var review = await app.InScopeAsync<AssetStagesService, Result<TransitionView>>(x => x.RollBackAsync(amara, "marketing", s.Asset, "1.1.0 drops EU conversions"));

        Assert.Equal("rollback.reason-required", refused.Error!.Code);
        Assert.True(review.Value.IsRollbackReview);
        Assert.Equal(Stage.Production, await s.StageOfAsync("1.0.0"));
        Assert.Equal(Stage.Archived, await s.StageOfAsync("1.1.0"));
        var reviewer = await s.PersonAsync("marketing-approvers");
        var queue = await app.InScopeAsync<ApprovalQueueService, Result<Portal.Core.Assets.Page<QueueItem>>>(x => x.ListAsync(reviewer, new QueueFilter(Asset: s.Asset)));
        Assert.Contains(queue.Value.Items, i => i.Id == review.Value.Id && i.IsRollbackReview);
        Assert.Equal(1, await CountRollbacksAsync(s.Asset));
    }

    private async Task<int> CountRollbacksAsync(string asset)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var ids = (await db.Versions.Where(v => db.Assets.Any(a => a.Id == v.AssetId && a.Name == asset)).Select(v => v.Id).ToListAsync())
            .Select(id => id.ToString()).ToList();
        return await db.AuditEvents.CountAsync(e => e.Action == "rollback.performed" && ids.Contains(e.SubjectId));
    }
}
