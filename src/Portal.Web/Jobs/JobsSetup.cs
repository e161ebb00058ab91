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
    public static void AddPortalJobs(this IServiceCollection services, PortalSettings settings)
    {
        services.AddSingleton(_ => HangfireStorage.Create(settings.Database));
        // Hangfire's own registration hands out the process-wide JobActivator.Current, which the last portal built
        // sets: an activator of this host's container makes each portal run its jobs with its own services.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        // Without these the server activates jobs through Hangfire's process-wide JobActivator.Current, which
        // the last host built sets: with two portals in one process (the tests), one ran the other's jobs.
        services.AddSingleton<IBackgroundJobFactory>(sp => new BackgroundJobFactory(sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IBackgroundJobStateChanger>(sp => new BackgroundJobStateChanger(sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IBackgroundJobPerformer>(sp => new BackgroundJobPerformer(sp.GetRequiredService<IJobFilterProvider>(), sp.GetRequiredService<JobActivator>()));
        services.AddHangfireServer(o =>
        {
            // Two cores here and in small deployments: a few workers keep page latency steady.
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            o.ServerName = $"portal:{Environment.MachineName}:{Environment.ProcessId}";
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
