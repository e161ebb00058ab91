using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Portal.Core.Data;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.ModelCards;
using Portal.Core.Policies;
using Portal.Core.Security;
using Portal.Core.PromptTemplates;
using Portal.Infrastructure.PromptTemplates;
using Portal.Infrastructure.Datasets;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Infrastructure.Artifacts;
using Portal.Infrastructure.Data;
using Portal.Web.Api;
using Portal.Web.Auth;
using Portal.Web.Components;
using Portal.Web.DevIdentity;
using Portal.Web.Jobs;
using Portal.Web.Security;
using Serilog;

namespace Portal.Web.Hosting;

public static class PortalHost
{
    public static void AddPortal(this WebApplicationBuilder builder)
    {
        var settings = PortalSettings.Load(builder.Configuration, builder.Environment);
        var services = builder.Services;
        services.AddSingleton(settings);

        // The static bootstrap logger stays for start-up failures; each host gets its own configured logger.
        // The escaper comes last so that it sees every property, whichever enrichers the configuration adds.
        services.AddSerilog((sp, lc) => lc.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext().Enrich.With<LogValueEscaper>(),
            preserveStaticLogger: true);
        TelemetrySetup.AddTelemetry(services, settings.Telemetry);

        OpenConnectionContextFactory.Register(services,
            o => PortalDatabase.Configure(o, settings.Database.Provider, settings.Database.ConnectionString, strictQueries: builder.Environment.IsDevelopment()),
            settings.Database.RefuseNestedConnections);
        var dataProtection = services.AddDataProtection().SetApplicationName("ai-asset-portal");
        if (settings.KeyProtection.Certificate is { } keyCertificate)
            dataProtection.ProtectKeysWithCertificate(keyCertificate);
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDbContextFactory<PortalDbContext>>((o, dbFactory) => o.XmlRepository = new DatabaseXmlRepository(dbFactory));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(GroupMapping.Parse(settings.Sso.GroupMappings.ToDictionary(k => k.Key, v => v.Value)).Value);
        services.AddScoped<AccessService>();
        services.AddScoped<SignInService>();
        services.AddScoped<TeamService>();
        services.AddScoped<MembershipService>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<AssetService>();
        services.AddScoped<VersionService>();
        services.AddScoped<Portal.Core.Lineage.LineageGraphService>();
        services.AddScoped<Portal.Core.Lineage.ReproducibilityService>();
        services.AddScoped<VersionComparisonService>();
        services.AddScoped<MetricService>();
        services.AddScoped<MetricTrendService>();
        services.AddScoped<ArtifactService>();
        services.AddSingleton(settings.Storage);
        services.AddScoped<BlobIntegrityService>();
        services.AddScoped<StorageQuotaService>();
        services.AddScoped<StorageCleanupService>();
        services.AddScoped<ModelCardService>();
        services.AddScoped<PromptTemplateService>();
        services.AddLifecycle(builder.Configuration);
        services.AddAuditTrail(builder.Configuration, settings.Artifacts);
        services.AddExports();
        services.AddGoldenChecks();
        services.AddArchiving(builder.Configuration, settings.Artifacts);
        services.AddSingleton<PolicyEvaluator>();
        services.AddSingleton<IPolicyEvaluator>(sp => sp.GetRequiredService<PolicyEvaluator>());
        services.AddSingleton(new SecurityEventLimits(settings.Security.Events.PerActorPerMinute, settings.Security.Events.MaxStored));
        services.AddScoped<SecurityEventLog>();
        services.AddScoped<PolicyService>();
        services.AddSingleton<IPromptRenderer, HandlebarsPromptRenderer>();
        services.AddSingleton<ITextDiffer, DiffPlexTextDiffer>();
        services.AddSingleton<IDvcFileReader, YamlDvcFileReader>();
        services.AddSingleton(ArtifactStores.Create(settings.Artifacts));
        services.AddScoped<PageCaller>();
        services.AddHttpContextAccessor();

        services.AddPortalAuthentication(settings, builder.Environment);
        if (settings.Sso.Mode == SsoMode.Embedded)
            services.AddDevIdentityProvider(settings);
        services.AddPortalJobs(settings, builder.Configuration);

        services.AddRazorComponents()
            .AddInteractiveServerComponents(o =>
            {
                o.DetailedErrors = builder.Environment.IsDevelopment();
                o.DisconnectedCircuitMaxRetained = 100;
                o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
                o.MaxBufferedUnacknowledgedRenderBatches = 10;
                o.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(30);
            })
            .AddHubOptions(o =>
            {
                o.MaximumReceiveMessageSize = 64 * 1024;
                o.MaximumParallelInvocationsPerClient = 1;
                o.ClientTimeoutInterval = TimeSpan.FromSeconds(60);
                o.HandshakeTimeout = TimeSpan.FromSeconds(15);
            });
        services.AddMudServices();
        // Registered after Kestrel's own (made with the builder), so it is the one Kestrel resolves: see LargeBlockMemoryPool.
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();

        services.AddPortalApi(settings);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only the configured proxies are believed. The framework's loopback default would let any local process claim
            // any address, and two empty lists would believe every peer: without a configured proxy nothing is forwarded.
            o.ForwardedHeaders = settings.KnownProxies.Count + settings.KnownNetworks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
                o.KnownProxies.Add(proxy);
            foreach (var network in settings.KnownNetworks)
                o.KnownIPNetworks.Add(network);
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.AddPortalRateLimits(settings.Security.RateLimits);
    }

    public static async Task UsePortalAsync(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<PortalSettings>();
        if (settings.Database.MigrateOnStart)
        {
            await DatabaseMigrator.MigrateAsync(app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), settings.Database,
                app.Logger, app.Lifetime.ApplicationStopping);
        }
        if (settings.Sso.Mode == SsoMode.Embedded)
            await DevIdentityProvider.RegisterPortalClientAsync(app.Services, settings, app.Lifetime.ApplicationStopping);
        if (settings.Portal.SeedDemoData)
            await DemoData.SeedAsync(app.Services, settings.Portal.SeedDemoGoldenRuns, app.Lifetime.ApplicationStopping);
        AuditSetup.PrepareCheckpointStore(app.Services);
        JobsSetup.RegisterRecurringJobs(app.Services);
        await GoldenChecksSetup.RegisterGoldenSchedulesAsync(app.Services, app.Lifetime.ApplicationStopping);
        await ArchivingSetup.RegisterArchivingJobsAsync(app.Services, app.Lifetime.ApplicationStopping);
        await ExportsSetup.ResumeExportsAsync(app.Services, app.Lifetime.ApplicationStopping);
        if (!app.Environment.IsDevelopment() && settings.KeyProtection.Certificate is null)
        {
            app.Logger.LogWarning("Data Protection keys (they protect session cookies and antiforgery tokens) are stored unencrypted in the database: " +
                "anyone who reads the database can forge sessions. Set DataProtection:CertificatePath with DataProtection:CertificatePassword, or DataProtection:CertificateThumbprint.");
        }

        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationIdMiddleware>();
        // The configured logger (sinks, levels, escaping), not the static start-up logger the middleware falls back to.
        app.UseSerilogRequestLogging(o => o.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        var formActions = settings.Sso.Mode == SsoMode.External && Uri.TryCreate(settings.Sso.Authority, UriKind.Absolute, out var authority)
            ? authority.GetLeftPart(UriPartial.Authority)
            : "";
        app.UseMiddleware<SecurityHeadersMiddleware>(formActions);
        app.UseMiddleware<BlazorHubOriginMiddleware>(settings.Portal.PublicUrl);
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        // The API answers with problem details; pages with a friendly status page. Neither shows a stack trace.
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusOf });
            api.UseStatusCodePages();
            api.UseMiddleware<DeniedRequestRecorder>();
        });
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), ui =>
        {
            ui.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusOf, ExceptionHandlingPath = "/status/500", CreateScopeForErrors = true });
            ui.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        });
        app.UseSignInRateLimits(settings.Security.RateLimits);
        // Routing comes after the error and status-code pages so that their re-executed requests are routed afresh.
        app.UseRouting();
        app.UseCors();
        app.UseAuthentication();
        // After authentication (budgets follow the resolved principal), before authorization (bad tokens are limited too).
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        if (settings.Sso.Mode == SsoMode.Embedded)
            app.MapDevIdentityEndpoints();
        app.MapAccountEndpoints();
        app.MapPortalApi();
        app.MapBrowserDownloads();
        app.MapBrowserExportDownloads();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapJobsDashboard();
    }

    private static int StatusOf(Exception ex) => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
}
