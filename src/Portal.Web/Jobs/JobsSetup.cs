using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.Server;
using Hangfire.States;
using Portal.Core.Access;
using Portal.Core.Artifacts;
using Portal.Core.Security;
using Portal.Core.Teams;
using Portal.Infrastructure.Jobs;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Jobs;

public static class JobsSetup
{
    /// <summary>Hangfire queue names: lower-case letters, digits, dashes and underscores.</summary>
    private static readonly System.Text.RegularExpressions.Regex QueueName = new("^[a-z0-9_-]{1,50}$");

    public static void AddPortalJobs(this IServiceCollection services, PortalSettings settings, IConfiguration configuration)
    {
        var queue = configuration["Jobs:Queue"] is { Length: > 0 } configured ? configured : "default";
        if (!QueueName.IsMatch(queue))
            throw new PortalConfigurationException($"Jobs:Queue '{queue}' is not a Hangfire queue name: use lower-case letters, digits, dashes and underscores.");
        services.AddSingleton(_ => HangfireStorage.Create(settings.Database));
        // Hangfire's own registration answers JobActivator.Current, the process-wide activator the last host to
        // start set: two hosts starting at once (the tests) could each take the other's, and then ran their jobs
        // in the other host's container, against its database, or failed once it was disposed. Each host gets its own.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, c) => c
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        // Every job this host enqueues goes on its queue, the one its server listens to. Hangfire.PostgreSql wakes
        // waiting workers through one process-wide event per queue name: with several hosts in one process (the
        // tests) on the same name, an enqueue woke another host's worker and this host's slept a whole poll interval.
        var hostFilters = new JobFilterCollection();
        hostFilters.Add(new HostQueueFilter(queue));
        services.AddSingleton<IJobFilterProvider>(new JobFilterProviderCollection(JobFilterProviders.Providers, hostFilters));
        // Without these the server activates jobs through Hangfire's process-wide JobActivator.Current, which
        // the last host built sets: with two portals in one process (the tests), one ran the other's jobs.
        // They take the host's own activator (above).
        services.AddSingleton<IBackgroundJobFactory>(sp => new BackgroundJobFactory(sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IBackgroundJobStateChanger>(sp => new BackgroundJobStateChanger(sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IBackgroundJobPerformer>(sp => new BackgroundJobPerformer(sp.GetRequiredService<IJobFilterProvider>(), sp.GetRequiredService<JobActivator>()));
        services.AddHangfireServer(o =>
        {
            // Two cores here and in small deployments: a few workers keep page latency steady.
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            o.ServerName = $"portal:{Environment.MachineName}:{Environment.ProcessId}";
            o.Queues = [queue];
        });
        services.AddTransient<RecordExpiredApiTokensJob>();
        services.AddTransient<VerifyBlobIntegrityJob>();
        services.AddTransient<CleanUpStorageJob>();
        services.AddTransient<TrimSecurityEventsJob>();
    }

    /// <summary>Recurring schedules are registered at every start; durable intent stays in the portal's tables.</summary>
    public static void RegisterRecurringJobs(IServiceProvider services)
    {
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<RecordExpiredApiTokensJob>(RecordExpiredApiTokensJob.Id, j => j.RunAsync(CancellationToken.None), "*/15 * * * *");
        recurring.AddOrUpdate<VerifyBlobIntegrityJob>(VerifyBlobIntegrityJob.Id, j => j.RunAsync(500, CancellationToken.None), "17 * * * *");
        recurring.AddOrUpdate<Portal.Core.Lifecycle.ExpireTransitionRequestsJob>(Portal.Core.Lifecycle.ExpireTransitionRequestsJob.Id, j => j.RunAsync(CancellationToken.None), "*/10 * * * *");
        recurring.AddOrUpdate<CleanUpStorageJob>(CleanUpStorageJob.Id, j => j.RunAsync(CancellationToken.None), "47 * * * *");
        recurring.AddOrUpdate<TrimSecurityEventsJob>(TrimSecurityEventsJob.Id, j => j.RunAsync(CancellationToken.None), "*/10 * * * *");
        var audit = services.GetRequiredService<AuditOptions>();
        recurring.AddOrUpdate<Portal.Core.Audit.SignAuditCheckpointJob>(Portal.Core.Audit.SignAuditCheckpointJob.Id, j => j.RunAsync(CancellationToken.None), audit.CheckpointCron);
        recurring.AddOrUpdate<Portal.Core.Audit.VerifyAuditChainJob>(Portal.Core.Audit.VerifyAuditChainJob.Id, j => j.RunAsync(CancellationToken.None), audit.VerifyCron);
    }

    public static void MapJobsDashboard(this WebApplication app) =>
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new PlatformAdminDashboardFilter()],
            DisplayStorageConnectionString = false,
            AppPath = "/",
            DashboardTitle = "Portal jobs",
        }).RequireAuthorization(nameof(PortalAction.ViewJobs));

    /// <summary>Moves a job being enqueued (new, retried or triggered by a schedule) to the host's queue.</summary>
    private sealed class HostQueueFilter(string queue) : IElectStateFilter
    {
        public void OnStateElection(ElectStateContext context)
        {
            if (context.CandidateState is EnqueuedState enqueued)
                enqueued.Queue = queue;
        }
    }

    private sealed class PlatformAdminDashboardFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var caller = await http.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(http.User, null, null, http.RequestAborted);
            return caller.Allows(PortalAction.ViewJobs);
        }
    }
}
