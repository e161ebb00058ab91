using Portal.Core.Jobs;

namespace Portal.UnitTests.Jobs;

public sealed class JobRunTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static JobRun NewRun() => new()
    {
        Kind = JobKinds.GoldenCheck, SubjectType = "asset", SubjectId = "a", Trigger = "on-demand", RequestedBy = "test",
    };

    [Fact]
    public void Claim_after_a_kill_runs_again_and_keeps_the_first_start_time()
    {
        var run = NewRun();
        Assert.True(run.Claim(T0));
        Assert.True(run.Claim(T0.AddMinutes(5)));
        Assert.Equal(JobRunState.Running, run.State);
        Assert.Equal(T0, run.StartedAt);
        Assert.Equal(2, run.Attempt);
    }

    [Fact]
    public void A_finished_run_is_never_claimed_again()
    {
        var run = NewRun();
        run.Claim(T0);
        run.Succeed(T0.AddSeconds(3), "{}");
        Assert.False(run.Claim(T0.AddMinutes(1)));
        Assert.Equal(JobRunState.Succeeded, run.State);
        Assert.Equal(100, run.Progress);
        Assert.Equal(1, run.Attempt);
    }

    [Fact]
    public void Fail_keeps_the_reason_and_progress_is_clamped()
    {
        var run = NewRun();
        run.Claim(T0);
        run.ReportProgress(140);
        Assert.Equal(100, run.Progress);
        run.Fail(T0.AddSeconds(1), "timed out after 60 s");
        Assert.Equal(JobRunState.Failed, run.State);
        Assert.Equal("timed out after 60 s", run.Reason);
        Assert.True(run.IsFinished);
    }
}
