using Microsoft.EntityFrameworkCore;
using Portal.Core.Archiving;
using Portal.Core.Artifacts;
using Portal.Core.Common;
using Portal.Core.Jobs;
using Portal.Testing;
using static Portal.IntegrationTests.Archiving.ArchivingScenario;

namespace Portal.IntegrationTests.Archiving;

/// <summary>An archive run killed at each of its steps (a hook throws there), then run again: one outcome, no blob lost or left behind.</summary>
public abstract class ArchivingCrashTests(PortalApp app)
{
    public static TheoryData<string> Steps => [.. ArchiveSteps.All];

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Run_killed_at_any_step_and_run_again_has_one_outcome_and_every_blob_where_it_belongs(string step)
    {
        var s = await StartAsync(app);
        var own = Bytes();
        var shared = Bytes();
        var asset = Unique("crash");
        var stale = await s.VersionAsync(asset, "1.0.0", [("own.bin", own), ("shared.bin", shared)]);
        var live = Unique("crashlive");
        await s.VersionAsync(live, "1.0.0", [("shared.bin", shared)]);
        Ok(await app.InScopeAsync<ArchiveService, Result<bool>>(a => a.SetLegalHoldAsync(s.Admin, Finance, live, "1.0.0", true, "keep")));
        var runId = await s.PlanRunAsync();
        var hook = new FailAt(step);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => s.RunAsync(runId, hook));
        await s.RunAsync(runId);
        await s.RunAsync(runId);

        Assert.Equal(1, hook.Fired);
        Assert.Equal(1, await s.AuditCountAsync("archive.completed", runId.ToString()));
        Assert.Equal(1, await s.AuditCountAsync("version.archived", stale.ToString()));
        Assert.Equal(runId, (await s.VersionRowAsync(stale)).ArchiveRunId);
        Assert.Equal(BlobLocation.Cold, await s.LocationAsync(Sha(own)));
        Assert.Equal(BlobLocation.Hot, await s.LocationAsync(Sha(shared)));
        await using var db = await s.Db();
        var run = await db.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunState.Succeeded, run.State);
        // Every blob of the team's versions is in the store its row names, and only there.
        var blobs = await db.Blobs.Where(b => db.Artifacts.Any(a => a.Sha256 == b.Sha256)).Select(b => new { b.Sha256, b.Location }).ToListAsync();
        foreach (var blob in blobs)
        {
            var (where, other) = blob.Location == BlobLocation.Hot ? (s.Hot, s.Cold) : (s.Cold, s.Hot);
            Assert.True(await where.ExistsAsync(blob.Sha256, CancellationToken.None), $"{blob.Sha256} missing from {blob.Location}");
            Assert.False(await other.ExistsAsync(blob.Sha256, CancellationToken.None), $"{blob.Sha256} left behind beside {blob.Location}");
        }
    }
}

public sealed class ArchivingCrashTests_Sqlite(SqlitePortal app) : ArchivingCrashTests(app), IClassFixture<SqlitePortal>;

public sealed class ArchivingCrashTests_PostgreSql(PostgresPortal app) : ArchivingCrashTests(app), IClassFixture<PostgresPortal>;
