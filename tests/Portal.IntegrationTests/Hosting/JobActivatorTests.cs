using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Artifacts;
using Portal.Infrastructure.Artifacts;
using Portal.Infrastructure.Data;
using Portal.Web.Hosting;
using Portal.Web.Jobs;

namespace Portal.IntegrationTests.Hosting;

/// <summary>
/// Hangfire keeps one process-wide <see cref="JobActivator.Current"/>, set by each host as it starts. A host whose
/// jobs were activated through it could run them in another host's container (another database) or fail once that
/// host was disposed: the export tests on PostgreSQL waited 90 s for exports that were never made.
/// </summary>
public sealed class JobActivatorTests
{
    private sealed class HostMarker;

    [Fact]
    public void A_host_activates_its_jobs_from_its_own_services_when_another_host_starts_at_the_same_moment()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<HostMarker>();
        var settings = new PortalSettings(new PortalOptions(), new SsoOptions(), new DatabaseOptions { ConnectionString = "Data Source=:memory:" },
            new SecurityOptions(), new TelemetryOptions(), new ArtifactStoreOptions(), new StorageOptions());
        services.AddPortalJobs(settings, new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        var mine = provider.GetRequiredService<HostMarker>();
        var before = JobActivator.Current;
        try
        {
            // Hangfire's configuration callback sets JobActivator.Current to this host's activator; another host
            // starting now sets it again before this host has read it.
            provider.GetRequiredService<IGlobalConfiguration>();
            JobActivator.Current = new JobActivator();

            var activator = provider.GetRequiredService<JobActivator>();

            Assert.NotSame(JobActivator.Current, activator);
            using var scope = activator.BeginScope((JobActivatorContext)null!);
            Assert.Same(mine, scope.Resolve(typeof(HostMarker)));
        }
        finally
        {
            JobActivator.Current = before;
        }
    }
}
