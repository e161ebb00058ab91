using Portal.Core.Lifecycle;
using Portal.Testing;
using static Portal.IntegrationTests.Lifecycle.LifecycleScenario;

namespace Portal.IntegrationTests.Lifecycle;

/// <summary>Racing decisions and racing requests end with exactly one winner, on SQLite and PostgreSQL.</summary>
public abstract class LifecycleRaceTests(PortalApp app)
{
    [Fact]
    public async Task Twenty_concurrent_approvals_apply_the_request_once()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver }]");
        var maya = await s.PersonAsync("marketing-contributors");
        await s.RegisterAsync(maya, "1.0.0", Scores(0.9, 0.9, 0.9));
        await s.RequestAsync(maya, "1.0.0", "Staging");
        var id = (await s.RequestAsync(maya, "1.0.0", "Production")).Value.Id;
        var approvers = new List<Portal.Core.Teams.CallerAccess>();
        for (var i = 0; i < 20; i++)
            approvers.Add(await s.PersonAsync("marketing-approvers"));

        var results = await Task.WhenAll(approvers.Select(a => s.DecideAsync(a, id)));

        Assert.Single(results, r => r.IsSuccess && r.Value.State == TransitionState.Applied);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Contains(r.Error!.Code, new[] { "transition.conflict", "transition.closed" }));
        Assert.Equal(1, await s.AuditCountAsync("transition.applied", id));
        Assert.Equal(Stage.Production, await s.StageOfAsync("1.0.0"));
    }

    [Fact]
    public async Task Concurrent_Production_requests_leave_exactly_one_Production_version_at_every_step()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver }]");
        var maya = await s.PersonAsync("marketing-contributors");
        for (var round = 0; round < 4; round++)
        {
            var pair = new[] { $"{round + 1}.0.0", $"{round + 1}.1.0" };
            var ids = new List<long>();
            foreach (var version in pair)
            {
                await s.RegisterAsync(maya, version, Scores(0.9, 0.9, 0.9));
                await s.RequestAsync(maya, version, "Staging");
                ids.Add((await s.RequestAsync(maya, version, "Production")).Value.Id);
            }
            var a = await s.PersonAsync("marketing-approvers");
            var b = await s.PersonAsync("marketing-approvers");

            var results = await Task.WhenAll(s.DecideAsync(a, ids[0]), s.DecideAsync(b, ids[1]));

            Assert.Equal(1, await s.ProductionCountAsync());
            Assert.Contains(results, r => r.IsSuccess);
            Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Contains(r.Error!.Code, new[] { "transition.conflict", "stage.production-taken" }));
        }
    }

    [Fact]
    public async Task Concurrent_requests_get_distinct_numbers_that_their_events_and_stage_history_quote()
    {
        var s = await CreateAsync(app, "  - approvals: [{ count: 1, role: Approver }]");
        var maya = await s.PersonAsync("marketing-contributors");
        var versions = Enumerable.Range(1, 8).Select(i => $"{i}.0.0").ToList();
        foreach (var version in versions)
            await s.RegisterAsync(maya, version, Scores(0.9, 0.9, 0.9));
        var before = await s.HighestRequestNumberAsync();

        // Staging needs no approval here: each request is numbered, applied and audited in one save.
        var results = await Task.WhenAll(versions.Select(v => s.RequestAsync(maya, v, "Staging")));

        Assert.All(results, r => Assert.Equal(TransitionState.Applied, r.Value.State));
        var ids = results.Select(r => r.Value.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > before, $"request {id} reused a number at or below {before}"));
        foreach (var (version, id) in versions.Zip(ids))
        {
            Assert.Equal(1, await s.AuditCountAsync("transition.requested", id));
            Assert.Equal(1, await s.AuditCountAsync("transition.applied", id));
            Assert.Equal(id, await s.StagingRequestOfAsync(version));
        }
        // The next request is numbered after them all, whoever numbered them.
        await s.RegisterAsync(maya, "9.0.0", Scores(0.9, 0.9, 0.9));
        Assert.True((await s.RequestAsync(maya, "9.0.0", "Staging")).Value.Id > ids.Max());
    }
}

public sealed class LifecycleRaceTests_Sqlite(SqlitePortal app) : LifecycleRaceTests(app), IClassFixture<SqlitePortal>;

public sealed class LifecycleRaceTests_PostgreSql(PostgresPortal app) : LifecycleRaceTests(app), IClassFixture<PostgresPortal>;
