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

    /// <summary>The exports a restart interrupted: the embedded default's job queue lives in memory and forgot them (a replay of a finished one does nothing).</summary>
    public static async Task ResumeExportsAsync(IServiceProvider services, CancellationToken ct)
    {
        var queue = services.GetRequiredService<IExportQueue>();
        await using var scope = services.CreateAsyncScope();
        foreach (var id in await scope.ServiceProvider.GetRequiredService<RenderExportJob>().ResumableAsync(ct))
            queue.Enqueue(id);
    }

    private sealed class HangfireExportQueue(IBackgroundJobClient jobs) : IExportQueue
    {
        public void Enqueue(Guid exportId) => jobs.Enqueue<RenderExportJob>(j => j.RunAsync(exportId, CancellationToken.None));
    }
}
