using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Data;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.GoldenChecks;

/// <summary>
/// A portal whose golden runs are queued but not executed, so a test runs the job itself and stops it at a
/// chosen step the way a shutdown or a kill would (the work is abandoned, nothing is marked failed).
/// </summary>
public class ManualGoldenPortal(DatabaseProvider provider) : PortalApp(provider)
{
    public List<Guid> Queued { get; } = [];
    public StopAtStep Stop { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IGoldenRunQueue>(new RecordingQueue(Queued));
            services.AddSingleton<IGoldenRunObserver>(Stop);
        });
    }

    private sealed class RecordingQueue(List<Guid> queued) : IGoldenRunQueue
    {
        public void Enqueue(Guid runId)
        {
            lock (queued)
                queued.Add(runId);
        }
    }

    /// <summary>Cancels the running job's token when it reaches the armed step, as a host shutting down would.</summary>
    public sealed class StopAtStep : IGoldenRunObserver
    {
        private string? _step;
        private CancellationTokenSource? _cts;

        public CancellationToken Arm(string? step)
        {
            _step = step;
            _cts = new CancellationTokenSource();
            return _cts.Token;
        }

        public void Reached(string step, Guid runId)
        {
            if (step == _step)
                _cts!.Cancel();
        }
    }
}

public sealed class ManualGoldenSqlitePortal() : ManualGoldenPortal(DatabaseProvider.Sqlite);

public sealed class ManualGoldenPostgresPortal() : ManualGoldenPortal(DatabaseProvider.PostgreSql);

/// <summary>A run stopped at any step and run again stores exactly one result set; a finished run replayed stores nothing more.</summary>
public abstract class GoldenCrashTests(ManualGoldenPortal app)
{
    public static TheoryData<string> Steps => new() { "claimed", "data-read", "model-run", "scored", "stored" };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_run_stopped_at_any_step_and_run_again_stores_exactly_one_result_set(string step)
    {
        var data = GoldenData.Iris(60, seed: 13);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        var run = await s.StartAsync("1.0.0");
        Assert.Contains(run.Id, app.Queued);

        try
        {
            await app.Service<RunGoldenCheckJob>().RunAsync(run.Id, app.Stop.Arm(step));
        }
        catch (OperationCanceledException)
        {
            // The "process" stopped here.
        }
        var stopped = await StateAsync(run.Id);
        Assert.Equal(step == "stored" ? JobRunState.Succeeded : JobRunState.Running, stopped.State);

        // Hangfire replays the job (the worker died, or the at-least-once queue delivers twice).
        await app.Service<RunGoldenCheckJob>().RunAsync(run.Id, app.Stop.Arm(null));
        await app.Service<RunGoldenCheckJob>().RunAsync(run.Id, app.Stop.Arm(null));

        var (finished, result) = await s.FinishedAsync(run.Id);
        Assert.Equal(JobRunState.Succeeded, finished.State);
        Assert.NotNull(result);
        var metrics = await s.GoldenMetricsAsync(run.Id);
        Assert.Single(metrics, m => m.Name == "accuracy" && m.Slice == "");
        Assert.Equal(data.Accuracy(), metrics.Single(m => m.Name == "accuracy" && m.Slice == "").Value, 6);
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.GoldenCheckResults.CountAsync(r => r.RunId == run.Id));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "golden-check.completed" && e.After!.Contains(run.Id.ToString())));
    }

    [Fact]
    public async Task Two_workers_running_one_run_at_once_leave_it_succeeded_with_one_result_set()
    {
        var data = GoldenData.Iris(60, seed: 19);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var run = await s.StartAsync("1.0.0");
            var token = app.Stop.Arm(null);

            // A job queued twice (start-up re-queues a run the seeding had queued): whichever claims last owns the outcome.
            await Task.WhenAll(Task.Run(() => app.Service<RunGoldenCheckJob>().RunAsync(run.Id, token)),
                Task.Run(() => app.Service<RunGoldenCheckJob>().RunAsync(run.Id, token)));

            var (finished, result) = await s.FinishedAsync(run.Id);
            Assert.True(finished.State == JobRunState.Succeeded, $"{finished.State}: {finished.Reason}");
            Assert.NotNull(result);
            await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            Assert.Equal(1, await db.GoldenCheckResults.CountAsync(r => r.RunId == run.Id));
        }
    }

    [Fact]
    public async Task Runs_left_unfinished_are_found_again_at_start_up_and_overdue_ones_fail_visibly()
    {
        var data = GoldenData.Iris(30, seed: 17);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.RegisterModelAsync("1.0.1", ("model.pkl", "not for the server"u8.ToArray()));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        var inProcess = await s.StartAsync("1.0.0");
        var external = await s.StartAsync("1.0.1");

        var unfinished = await app.Service<SweepJobRunsJob>().UnfinishedAsync(CancellationToken.None);
        Assert.Contains(unfinished, u => u.Id == inProcess.Id);
        Assert.DoesNotContain(unfinished, u => u.Id == external.Id);
        Assert.True(external.External);

        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var row = await db.JobRuns.SingleAsync(r => r.Id == external.Id);
            row.DeadlineAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }
        await app.Service<SweepJobRunsJob>().RunAsync(CancellationToken.None);

        var (timedOut, _) = await s.FinishedAsync(external.Id);
        Assert.Equal(JobRunState.Failed, timedOut.State);
        Assert.Equal("Timed out: no external runner claimed it.", timedOut.Reason);
    }

    [Fact]
    public async Task A_run_whose_worker_ended_while_running_it_three_times_fails_on_its_next_claim_without_running()
    {
        var s = await GoldenScenario.CreateAsync(app, GoldenData.Iris(30, seed: 23).Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        var run = await s.StartAsync("1.0.0");
        // Three claims that never finished, as three start-up replays of a run that ended the process each time leave it.
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            await db.JobRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, JobRunState.Running)
                .SetProperty(r => r.Attempt, RunGoldenCheckJob.MaxAttempts));

        await app.Service<RunGoldenCheckJob>().RunAsync(run.Id, app.Stop.Arm(null));

        var (failed, result) = await s.FinishedAsync(run.Id);
        Assert.Equal(JobRunState.Failed, failed.State);
        Assert.StartsWith($"Stopped after {RunGoldenCheckJob.MaxAttempts} attempts", failed.Reason, StringComparison.Ordinal);
        Assert.Null(result);
    }

    private async Task<JobRun> StateAsync(Guid runId)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
    }
}

public sealed class GoldenCrashTests_Sqlite(ManualGoldenSqlitePortal app) : GoldenCrashTests(app), IClassFixture<ManualGoldenSqlitePortal>;

public sealed class GoldenCrashTests_PostgreSql(ManualGoldenPostgresPortal app) : GoldenCrashTests(app), IClassFixture<ManualGoldenPostgresPortal>;
