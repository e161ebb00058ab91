using Portal.Core.Lifecycle;

namespace Portal.Web.Hosting;

public static class LifecycleSetup
{
    /// <summary>Stages, aliases, transition requests, decisions and the approvers' queues.</summary>
    public static void AddLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Lifecycle").Get<LifecycleOptions>() ?? new LifecycleOptions();
        if (options.RequestMaxAgeDays is < 1 or > 365)
            throw new PortalConfigurationException("Lifecycle:RequestMaxAgeDays must be between 1 and 365 days.");
        services.AddSingleton(options);
        services.AddSingleton<ApprovalSignal>();
        services.AddScoped<TransitionService>();
        services.AddScoped<DecisionService>();
        services.AddScoped<ApprovalQueueService>();
        services.AddScoped<AliasService>();
        services.AddScoped<AssetStagesService>();
        services.AddTransient<ExpireTransitionRequestsJob>();
    }
}
