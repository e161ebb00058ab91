using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Testing;

namespace Portal.IntegrationTests.GoldenChecks;

/// <summary>A version archived after its run was planned is not checked on a missing file: the run fails saying why, and no new run starts on it.</summary>
public abstract class GoldenArchivedVersionTests(ManualGoldenPortal app)
{
    [Fact]
    public async Task A_run_planned_before_its_version_was_archived_fails_saying_so_and_no_new_run_starts()
    {
        var data = GoldenData.Iris(60, seed: 17);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        var run = await s.StartAsync("1.0.0");
        var versionId = Guid.Parse(run.SubjectId);
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            await db.Versions.Where(v => v.Id == versionId).ExecuteUpdateAsync(x => x.SetProperty(v => v.ArchivedAt, DateTimeOffset.UtcNow));

        await app.Service<RunGoldenCheckJob>().RunAsync(run.Id, app.Stop.Arm(null));
        var again = await app.InScopeAsync<GoldenCheckService, Result<JobRunView>>(x => x.StartAsync(s.Contributor, "marketing", s.Asset, "holdout", "1.0.0"));

        await using var check = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var failed = await check.JobRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        Assert.Equal(JobRunState.Failed, failed.State);
        Assert.Contains("was archived after this run was planned", failed.Reason);
        Assert.Equal("golden-check.version-archived", again.Error!.Code);
    }
}

public sealed class GoldenArchivedVersionTests_Sqlite(ManualGoldenSqlitePortal app) : GoldenArchivedVersionTests(app), IClassFixture<ManualGoldenSqlitePortal>;

public sealed class GoldenArchivedVersionTests_PostgreSql(ManualGoldenPostgresPortal app) : GoldenArchivedVersionTests(app), IClassFixture<ManualGoldenPostgresPortal>;
