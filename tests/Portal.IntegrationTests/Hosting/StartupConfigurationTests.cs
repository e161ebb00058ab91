using System.Diagnostics;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Starts the real portal process with a wrong setting: it must stop and name the key.</summary>
public sealed class StartupConfigurationTests
{
    private static string PortalDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            dir = dir.Parent;
        var bin = Path.Combine(dir!.FullName, "src", "Portal.Web", "bin");
        return Directory.EnumerateFiles(bin, "Portal.Web.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).First();
    }

    private static async Task<(int ExitCode, string Output)> StartAsync(params (string Key, string Value)[] settings)
    {
        var start = new ProcessStartInfo("dotnet", [PortalDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("The portal started although its configuration is wrong.");
        }
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Unknown_database_provider_stops_start_up_naming_the_setting()
    {
        var (exit, output) = await StartAsync(("Database:Provider", "Oracle"));

        Assert.Equal(2, exit);
        Assert.Contains("Database:Provider 'Oracle' is not supported", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task External_sso_without_authority_stops_start_up_naming_the_setting()
    {
        var (exit, output) = await StartAsync(("Sso:Mode", "External"), ("Sso:ClientId", "portal"), ("Sso:ClientSecret", "from-vault"));

        Assert.Equal(2, exit);
        Assert.Contains("Sso:Authority is required", output);
    }

    [Fact]
    public async Task Embedded_identity_provider_is_refused_in_production()
    {
        var (exit, output) = await StartAsync(("ASPNETCORE_ENVIRONMENT", "Production"));

        Assert.Equal(2, exit);
        Assert.Contains("must never run in Production", output);
    }
}
