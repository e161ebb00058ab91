using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portal.Core.Audit.Chain;

namespace Portal.Web.Hosting;

/// <summary>Traces and metrics to an OTLP collector, when one is configured (Telemetry:OtlpEndpoint).</summary>
internal static class TelemetrySetup
{
    public static void AddTelemetry(IServiceCollection services, TelemetryOptions telemetry)
    {
        if (string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint))
            return;
        var endpoint = new Uri(telemetry.OtlpEndpoint);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ai-asset-portal"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource("Portal")
                .AddOtlpExporter(o => o.Endpoint = endpoint))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddPortalMeters()
                .AddOtlpExporter(o => o.Endpoint = endpoint));
    }

    /// <summary>The runtime's, ASP.NET Core's and Kestrel's meters, and the portal's own.</summary>
    private static MeterProviderBuilder AddPortalMeters(this MeterProviderBuilder builder) =>
        builder.AddMeter("System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", AuditChainMetrics.MeterName);
}
