using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Archiving;
using Portal.Core.Artifacts;
using Portal.Core.Common;
using Portal.Core.Jobs;
using Portal.Testing;
using static Portal.IntegrationTests.Archiving.ArchivingScenario;

namespace Portal.IntegrationTests.Archiving;

/// <summary>An archive run and a restore moving the same blob, and a run that keeps failing: no blob is lost, none is left behind.</summary>
public abstract class ArchivingRaceTests(PortalApp app)
{
    [Fact]
    public async Task A_restore_during_a_runs_move_of_the_same_blob_waits_for_it_and_loses_nothing()
    {
        var s = await StartAsync(app);
        await SettleAsync(s);
        var bytes = Bytes();
        var asset = Unique("race");
        await s.VersionAsync(asset, "1.0.0", [("model.bin", bytes)]);
        var runId = await s.PlanRunAsync();
        // Between the run's flip to Cold and its delete of the hot copy, the restore runs as far as it can in three seconds:
        // without the blob's lease it copied back, flipped to Hot and deleted the cold copy there, and the run then deleted the hot one.
        Task<Result<RestoredVersion>>? restore = null;
        var hook = new OnStep(ArchiveSteps.Marked, () =>
        {
            // A request of its own, as the restore comes from another caller: none of the run's unit of work flows into it.
            using (ExecutionContext.SuppressFlow())
                restore = Task.Run(() => app.InScopeAsync<ArchiveRestoreService, Result<RestoredVersion>>(r => r.RestoreAsync(s.Admin, Finance, asset, "1.0.0")));
            Task.WaitAny(restore, Task.Delay(TimeSpan.FromSeconds(3)));
        });

        await s.RunAsync(runId, hook);
        var restored = await restore!;

        Assert.True(restored.IsSuccess, restored.Error?.Code);
        Assert.Equal(BlobLocation.Hot, await s.LocationAsync(Sha(bytes)));
        Assert.True(await s.Hot.ExistsAsync(Sha(bytes), CancellationToken.None));
        Assert.False(await s.Cold.ExistsAsync(Sha(bytes), CancellationToken.None));
        var client = await app.ApiClientAsync(Finance, Portal.Core.Teams.TeamRole.TeamAdmin);
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/api/v1/teams/{Finance}/assets/{asset}/versions/1.0.0/artifacts/model.bin"));
        await using var db = await s.Db();
        Assert.Null(await db.Blobs.Where(b => b.Sha256 == Sha(bytes)).Select(b => b.MovingBy).SingleAsync());
    }

    [Fact]
    public async Task A_run_leaves_a_blob_another_mover_holds_for_the_next_run_and_takes_over_an_expired_lease()
    {
        var s = await StartAsync(app);
        await SettleAsync(s);
        var held = Bytes();
        var expired = Bytes();
        await s.VersionAsync(Unique("held"), "1.0.0", [("held.bin", held)]);
        await s.VersionAsync(Unique("expired"), "1.0.0", [("expired.bin", expired)]);
        await LeaseAsync(Sha(held), DateTimeOffset.UtcNow.AddMinutes(30));
        await LeaseAsync(Sha(expired), DateTimeOffset.UtcNow.AddMinutes(-1));

        var runId = await s.PlanRunAsync();
        await s.RunAsync(runId);

        Assert.Equal(BlobLocation.Hot, await s.LocationAsync(Sha(held)));
        Assert.True(await s.Hot.ExistsAsync(Sha(held), CancellationToken.None));
        Assert.False(await s.Cold.ExistsAsync(Sha(held), CancellationToken.None));
        Assert.Equal(BlobLocation.Cold, await s.LocationAsync(Sha(expired)));
        Assert.False(await s.Hot.ExistsAsync(Sha(expired), CancellationToken.None));
        var summary = await SummaryAsync(s, runId);
        Assert.Equal((1, 1, 0), (summary.BlobsMoved, summary.BlobsBusy, summary.BlobsKeptShared));

        // The restore holding it gave up (its version stays archived): the next run moves it.
        await using (var db = await s.Db())
            await db.Blobs.Where(b => b.Sha256 == Sha(held)).ExecuteUpdateAsync(u => u.SetProperty(b => b.MovingBy, (string?)null).SetProperty(b => b.MovingUntil, (DateTimeOffset?)null));
        var next = await s.PlanRunAsync();
        await s.RunAsync(next);

        Assert.Equal(BlobLocation.Cold, await s.LocationAsync(Sha(held)));
        Assert.False(await s.Hot.ExistsAsync(Sha(held), CancellationToken.None));
        Assert.True(await s.Cold.ExistsAsync(Sha(held), CancellationToken.None));
    }

    [Fact]
    public async Task A_run_failing_on_its_last_attempt_is_failed_with_the_reason_and_the_next_run_moves_the_files_it_left_hot()
    {
        var s = await StartAsync(app);
        var bytes = Bytes();
        var stale = await s.VersionAsync(Unique("failing"), "1.0.0", [("data.bin", bytes)]);
        var failing = await s.PlanRunAsync();
        var hook = new FailAt(ArchiveSteps.Copied, times: int.MaxValue);

        for (var attempt = 1; attempt < ArchiveStaleVersionsJob.MaxAttempts; attempt++)
            await Assert.ThrowsAsync<SimulatedCrashException>(() => s.RunAsync(failing, hook));
        await s.RunAsync(failing, hook);
        await using (var db = await s.Db())
        {
            var run = await db.JobRuns.SingleAsync(r => r.Id == failing);
            Assert.Equal(JobRunState.Failed, run.State);
            Assert.Contains("SimulatedCrashException", run.Reason);
            Assert.Contains("next run", run.Reason);
        }
        Assert.Equal(1, await s.AuditCountAsync("archive.failed", failing.ToString()));
        Assert.Equal(failing, (await s.VersionRowAsync(stale)).ArchiveRunId);
        Assert.Equal(BlobLocation.Hot, await s.LocationAsync(Sha(bytes)));

        var next = await s.PlanRunAsync();
        await s.RunAsync(next);

        Assert.Equal(BlobLocation.Cold, await s.LocationAsync(Sha(bytes)));
        Assert.False(await s.Hot.ExistsAsync(Sha(bytes), CancellationToken.None));
        Assert.True(await s.Cold.ExistsAsync(Sha(bytes), CancellationToken.None));
    }

    /// <summary>Archives what earlier tests left stale in the team, so that the next run moves only this test's blobs.</summary>
    private static async Task SettleAsync(ArchivingScenario s) => await s.RunAsync(await s.PlanRunAsync());

    /// <summary>The lease a restore would hold on the blob, until the time given.</summary>
    private async Task LeaseAsync(string sha, DateTimeOffset until)
    {
        await using var db = await app.Service<IDbContextFactory<Portal.Core.Data.PortalDbContext>>().CreateDbContextAsync();
        await db.Blobs.Where(b => b.Sha256 == sha).ExecuteUpdateAsync(u => u.SetProperty(b => b.MovingBy, "restore:elsewhere#0").SetProperty(b => b.MovingUntil, until));
    }

    private static async Task<ArchiveRunSummary> SummaryAsync(ArchivingScenario s, Guid runId)
    {
        await using var db = await s.Db();
        var json = await db.JobRuns.Where(r => r.Id == runId).Select(r => r.SummaryJson).SingleAsync();
        return JsonSerializer.Deserialize<ArchiveRunSummary>(json!, JsonSerializerOptions.Web)!;
    }
}

/// <summary>Does something at the named step of a run, once.</summary>
internal sealed class OnStep(string step, Action act) : IArchiveRunObserver
{
    private bool _done;

    public void Reached(string reached, Guid runId)
    {
        if (reached != step || _done)
            return;
        _done = true;
        act();
    }
}

public sealed class ArchivingRaceTests_Sqlite(SqlitePortal app) : ArchivingRaceTests(app), IClassFixture<SqlitePortal>;

public sealed class ArchivingRaceTests_PostgreSql(PostgresPortal app) : ArchivingRaceTests(app), IClassFixture<PostgresPortal>;
