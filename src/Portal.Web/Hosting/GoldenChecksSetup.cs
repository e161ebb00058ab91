using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Infrastructure.GoldenChecks;

namespace Portal.Web.Hosting;

public static class GoldenChecksSetup
{
    /// <summary>Golden checks run by Hangfire (ONNX Runtime, ML.NET, prompt cases in process; other formats by external runners) and the team Jobs page.</summary>
    public static void AddGoldenChecks(this IServiceCollection services)
    {
        services.AddSingleton<IGoldenDataReader, GoldenDataReader>();
        services.AddSingleton<IGoldenModelRunner, OnnxModelRunner>();
        services.AddSingleton<IGoldenModelRunner, MlNetModelRunner>();
        services.AddSingleton<IGoldenRunQueue, HangfireGoldenRunQueue>();
        services.AddSingleton<IGoldenSchedule, HangfireGoldenSchedule>();
        services.AddScoped<GoldenCheckService>();
        services.AddScoped<NotificationService>();
        services.AddScoped<ExternalRunService>();
        services.AddScoped<JobRunService>();
        services.AddTransient<RunGoldenCheckJob>();
        services.AddTransient<ScheduledGoldenCheckJob>();
        services.AddTransient<SweepJobRunsJob>();
    }

    /// <summary>
    /// At start-up the schedules come from the database, and runs an in-memory queue forgot in a restart are
    /// queued again (a replay of a run that did finish does nothing).
    /// </summary>
    public static async Task RegisterGoldenSchedulesAsync(IServiceProvider services, CancellationToken ct)
    {
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<SweepJobRunsJob>(SweepJobRunsJob.Id, j => j.RunAsync(CancellationToken.None), "* * * * *");
        var schedule = services.GetRequiredService<IGoldenSchedule>();
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            foreach (var check in await db.GoldenChecks.AsNoTracking().Select(c => new { c.Id, c.Cron, c.Enabled }).ToListAsync(ct))
                schedule.Apply(check.Id, check.Enabled ? check.Cron : null);
        }
        var queue = services.GetRequiredService<IGoldenRunQueue>();
        foreach (var (id, kind) in await services.GetRequiredService<SweepJobRunsJob>().UnfinishedAsync(ct))
            if (kind == JobKinds.GoldenCheck)
                queue.Enqueue(id);
    }

    private sealed class HangfireGoldenRunQueue(IBackgroundJobClient jobs) : IGoldenRunQueue
    {
        public void Enqueue(Guid runId) => jobs.Enqueue<RunGoldenCheckJob>(j => j.RunAsync(runId, CancellationToken.None));
    }

    private sealed class HangfireGoldenSchedule(IRecurringJobManager recurring) : IGoldenSchedule
    {
        public void Apply(Guid checkId, string? cron)
        {
            var id = $"golden-check:{checkId}";
            if (cron is null)
                recurring.RemoveIfExists(id);
            else
                recurring.AddOrUpdate<ScheduledGoldenCheckJob>(id, j => j.RunAsync(checkId, CancellationToken.None), cron);
        }
    }
}
