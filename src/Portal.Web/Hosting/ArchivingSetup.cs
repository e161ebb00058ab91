using Hangfire;
using Portal.Core.Archiving;
using Portal.Core.Jobs;
using Portal.Infrastructure.Artifacts;

namespace Portal.Web.Hosting;

public static class ArchivingSetup
{
    /// <summary>Archiving of stale versions: rules, dry runs, archive runs on Hangfire, the cold store, restore and purge.</summary>
    public static void AddArchiving(this IServiceCollection services, IConfiguration configuration, ArtifactStoreOptions hot)
    {
        var cold = configuration.GetSection(ColdStoreOptions.Section).Get<ColdStoreOptions>() ?? new ColdStoreOptions();
        if (cold.Problems(hot).FirstOrDefault() is { } problem)
            throw new PortalConfigurationException(problem);
        services.AddSingleton(ColdArtifactStores.Create(hot, cold));
        services.AddSingleton<IArchiveRunQueue, HangfireArchiveRunQueue>();
        services.AddScoped<ArchiveRuleService>();
        services.AddScoped<ArchiveService>();
        services.AddScoped<ArchiveRestoreService>();
        services.AddScoped<ArchiveBlobMover>();
        services.AddTransient<ArchiveStaleVersionsJob>();
        services.AddTransient<ScheduleArchiveRunsJob>();
    }

    /// <summary>The nightly tick, and the archive runs an in-memory queue forgot in a restart (a replay of a finished run does nothing).</summary>
    public static async Task RegisterArchivingJobsAsync(IServiceProvider services, CancellationToken ct)
    {
        services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ScheduleArchiveRunsJob>(ScheduleArchiveRunsJob.Id, j => j.RunAsync(CancellationToken.None), "30 2 * * *");
        var queue = services.GetRequiredService<IArchiveRunQueue>();
        foreach (var (id, kind) in await ActivatorUtilities.CreateInstance<SweepJobRunsJob>(services).UnfinishedAsync(ct))
            if (kind == JobKinds.Archive)
                queue.Enqueue(id);
    }

    private sealed class HangfireArchiveRunQueue(IBackgroundJobClient jobs) : IArchiveRunQueue
    {
        public void Enqueue(Guid runId) => jobs.Enqueue<ArchiveStaleVersionsJob>(j => j.RunAsync(runId, CancellationToken.None));
    }
}
