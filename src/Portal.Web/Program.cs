using Portal.Web.Hosting;
using Serilog;

Log.Logger = new LoggerConfiguration().Enrich.With<LogValueEscaper>().WriteTo.Console().CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPortal();
    var app = builder.Build();
    await app.UsePortalAsync();
    await app.RunAsync();
    return 0;
}
catch (PortalConfigurationException ex)
{
    // A wrong setting is the operator's to fix: say which, without a stack trace.
    Log.Fatal("The portal cannot start: {Reason}", ex.Message);
    return 2;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Exposed for WebApplicationFactory in the integration and browser tests.</summary>
public partial class Program;
