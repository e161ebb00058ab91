using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Security;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;
using Portal.Web.Auth;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Refused state changes and sign-ins become bounded security events that Auditors and PlatformAdmins can read.</summary>
public abstract class SecurityEventTests(PortalApp app)
{
    private IDbContextFactory<PortalDbContext> Db => app.Service<IDbContextFactory<PortalDbContext>>();

    private static Actor SomeActor() => new Actor(ActorKind.User, Guid.NewGuid().ToString(), "Mallory") { ClientAddress = "203.0.113.7" };

    [Theory]
    [InlineData(TeamRole.Viewer, "/api/v1/teams/marketing/assets", """{"name":"refused-asset","kind":"Model"}""")]
    [InlineData(TeamRole.Contributor, "/api/v1/teams/marketing/members", """{"email":"someone@example.com","role":"TeamAdmin"}""")]
    public async Task Refused_api_state_change_is_recorded_with_actor_action_resource_and_reason(TeamRole role, string path, string body)
    {
        using var client = await app.ApiClientAsync("marketing", role);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");

        var response = await client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = await Db.CreateDbContextAsync();
        var recorded = await db.SecurityEvents.Where(e => e.ActorName == me.GetProperty("name").GetString()).ToListAsync();
        var only = Assert.Single(recorded);
        Assert.Equal((ActorKind.ServicePrincipal, "POST api", path), (only.ActorKind, only.Action, only.Resource));
        Assert.StartsWith("team.forbidden", only.Reason);
        Assert.NotNull(only.CorrelationId);
    }

    [Fact]
    public async Task Refused_read_is_not_a_security_event()
    {
        using var client = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");

        var response = await client.GetAsync("/api/v1/security-events");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("platform.forbidden", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await using var db = await Db.CreateDbContextAsync();
        Assert.False(await db.SecurityEvents.AnyAsync(e => e.ActorName == me.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Refused_page_action_is_recorded_and_other_failures_are_not()
    {
        var viewer = await app.SignInAsync($"viewer-{Guid.NewGuid():N}", "Page Viewer", "marketing-viewers");
        await using var circuit = app.Services.CreateAsyncScope();
        var state = (RevalidatingPortalAuthenticationStateProvider)circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(await app.CookiePrincipalAsync(viewer.UserId))));
        var page = circuit.ServiceProvider.GetRequiredService<PageCaller>();

        var refused = await circuit.ServiceProvider.GetRequiredService<VersionService>()
            .FinalizeAsync(await page.GetAsync(), "marketing", "churn-classifier", "1.2.0-rc.1");
        await page.RecordIfRefusedAsync(refused.Error, "finalize version", "/teams/marketing/assets/churn-classifier/versions/1.2.0-rc.1");
        await page.RecordIfRefusedAsync(TeamErrors.NotFound("finance"), "finalize version", "/teams/finance");
        await page.RecordIfRefusedAsync(null, "finalize version", "/teams/marketing");

        await using var db = await Db.CreateDbContextAsync();
        var recorded = Assert.Single(await db.SecurityEvents.Where(e => e.ActorId == viewer.UserId.ToString()).ToListAsync());
        Assert.Equal((ActorKind.User, "finalize version"), (recorded.ActorKind, recorded.Action));
        Assert.StartsWith("team.forbidden", recorded.Reason);
    }

    [Fact]
    public async Task A_flood_from_one_actor_and_address_is_capped_each_minute()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new SecurityEventLog(Db, clock, new SecurityEventLimits(PerActorPerMinute: 3, MaxStored: 1000));
        var actor = SomeActor();
        var fromElsewhere = actor with { ClientAddress = "198.51.100.9" };

        var first = new List<bool>();
        for (var i = 0; i < 5; i++)
            first.Add(await log.RecordDeniedAsync(actor, "POST api", "/api/v1/x", "team.forbidden"));
        var elsewhere = await log.RecordDeniedAsync(fromElsewhere, "POST api", "/api/v1/x", "team.forbidden");
        clock.Advance(TimeSpan.FromSeconds(61));
        var nextMinute = await log.RecordDeniedAsync(actor, "POST api", "/api/v1/x", "team.forbidden");

        Assert.Equal([true, true, true, false, false], first);
        Assert.True(elsewhere);
        Assert.True(nextMinute);
        await using var db = await Db.CreateDbContextAsync();
        Assert.Equal(5, await db.SecurityEvents.CountAsync(e => e.ActorId == actor.Id));
    }

    [Fact]
    public async Task Trim_keeps_only_the_newest_events()
    {
        var log = new SecurityEventLog(Db, TimeProvider.System, new SecurityEventLimits(PerActorPerMinute: 100, MaxStored: 3));
        for (var i = 0; i < 5; i++)
            await log.RecordDeniedAsync(SomeActor(), "POST api", $"/api/v1/trim/{i}", "team.forbidden");

        await log.TrimAsync();
        var again = await log.TrimAsync();

        await using var db = await Db.CreateDbContextAsync();
        Assert.Equal(["/api/v1/trim/4", "/api/v1/trim/3", "/api/v1/trim/2"], await db.SecurityEvents.OrderByDescending(e => e.Id).Select(e => e.Resource).ToListAsync());
        Assert.Equal(0, again);
    }

    [Fact]
    public async Task Auditor_pages_through_events_newest_first_and_a_contributor_may_not()
    {
        var log = new SecurityEventLog(Db, TimeProvider.System, new SecurityEventLimits());
        for (var i = 0; i < 3; i++)
            await log.RecordDeniedAsync(SomeActor(), "POST api", $"/api/v1/page/{i}", "team.forbidden");
        var auditor = await app.CallerAsync(await app.SignInAsync($"aud-{Guid.NewGuid():N}", "Auditor", "portal-auditors"));
        var contributor = await app.CallerAsync(await app.SignInAsync($"con-{Guid.NewGuid():N}", "Contributor", "marketing-contributors"));

        var first = await log.ListAsync(auditor, null, 2);
        var second = await log.ListAsync(auditor, first.Value.NextCursor, 1);
        var refused = await log.ListAsync(contributor, null, 2);
        var badCursor = await log.ListAsync(auditor, "not-a-cursor", 2);

        Assert.Equal(["/api/v1/page/2", "/api/v1/page/1"], first.Value.Items.Select(e => e.Resource));
        Assert.Equal("/api/v1/page/0", Assert.Single(second.Value.Items).Resource);
        Assert.Equal("platform.forbidden", refused.Error?.Code);
        Assert.Equal("request.invalid", badCursor.Error?.Code);
    }
}

public sealed class SecurityEventTests_Sqlite(SqlitePortal app) : SecurityEventTests(app), IClassFixture<SqlitePortal>;

public sealed class SecurityEventTests_PostgreSql(PostgresPortal app) : SecurityEventTests(app), IClassFixture<PostgresPortal>;
