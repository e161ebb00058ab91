using Hangfire;
using Portal.Core.Exports;
using Portal.Infrastructure.Pdf;

namespace Portal.Web.Hosting;

public static class ExportsSetup
{
    /// <summary>Audit dossiers and period reports (PDF, JSON), rendered by a Hangfire job, and the export check.</summary>
    public static void AddExports(this IServiceCollection services)
    {
        services.AddSingleton<IReportRenderer, SkiaPdfRenderer>();
        services.AddSingleton<IExportQueue, HangfireExportQueue>();
        services.AddScoped<ExportService>();
        services.AddScoped<ExportCheckService>();
        services.AddTransient<RenderExportJob>();
    }

    private sealed class HangfireExportQueue(IBackgroundJobClient jobs) : IExportQueue
    {
        public void Enqueue(Guid exportId) => jobs.Enqueue<RenderExportJob>(j => j.RunAsync(exportId, CancellationToken.None));
    }
}
