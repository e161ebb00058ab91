using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Portal.Testing;

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

    private static ProcessStartInfo StartInfo((string Key, string Value)[] settings)
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
        return start;
    }

    private static async Task<(int ExitCode, string Output)> StartAsync(params (string Key, string Value)[] settings)
    {
        using var process = Process.Start(StartInfo(settings))!;
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

    [Theory]
    [InlineData("Security:ForwardedHeaders:KnownProxies:0", "proxy.example.com", "Security:ForwardedHeaders:KnownProxies 'proxy.example.com' is not an IP address")]
    [InlineData("Security:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "Security:ForwardedHeaders:KnownNetworks '10.0.0.0/99' is not a network in CIDR notation")]
    [InlineData("DataProtection:CertificatePath", "/nonexistent/keys.pfx", "DataProtection:CertificatePath '/nonexistent/keys.pfx' does not exist")]
    [InlineData("Security:RateLimits:ApiPerMinute", "0", "Security:RateLimits:ApiPerMinute and Security:RateLimits:SignInPerMinute must be at least 1")]
    public async Task Wrong_security_setting_stops_start_up_naming_it(string key, string value, string message)
    {
        var (exit, output) = await StartAsync((key, value));

        Assert.Equal(2, exit);
        Assert.Contains(message, output);
    }

    [Theory]
    [InlineData("Production", "Sso:Mode", "Embedded", "Sso:Mode is Embedded, but the development identity provider runs only in the Development environment (this is 'Production')")]
    [InlineData("Staging", "Sso:Mode", "Embedded", "Sso:Mode is Embedded, but the development identity provider runs only in the Development environment (this is 'Staging')")]
    [InlineData("Staging", "Portal:SeedDemoData", "true", "Portal:SeedDemoData is true, but demo data is seeded only in the Development environment (this is 'Staging')")]
    [InlineData("qa-eu", "Portal:SeedDemoData", "true", "set Portal:SeedDemoData to false")]
    public async Task Development_only_feature_stops_start_up_in_any_other_environment(string environment, string key, string value, string message)
    {
        var (exit, output) = await StartAsync([("ASPNETCORE_ENVIRONMENT", environment), .. ExternalSso, (key, value)]);

        Assert.Equal(2, exit);
        Assert.Contains(message, output);
    }

    private static readonly (string, string)[] ExternalSso =
        [("Sso:Mode", "External"), ("Sso:Authority", "https://idp.example.com/"), ("Sso:ClientId", "portal"), ("Sso:ClientSecret", "from-vault")];

    [Fact]
    public void Shipped_settings_are_safe_and_development_turns_on_the_embedded_default()
    {
        var web = Path.Combine(PortalApp.RepositoryRoot(), "src", "Portal.Web");
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(web, "appsettings.json")).Build();
        var development = new ConfigurationBuilder().AddJsonFile(Path.Combine(web, "appsettings.json"))
            .AddJsonFile(Path.Combine(web, "appsettings.Development.json")).Build();
        using var launch = JsonDocument.Parse(File.ReadAllText(Path.Combine(web, "Properties", "launchSettings.json")));

        Assert.Equal(("External", "False"), (shipped["Sso:Mode"], shipped["Portal:SeedDemoData"]));
        Assert.Equal(("Embedded", "True"), (development["Sso:Mode"], development["Portal:SeedDemoData"]));
        var profile = launch.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        Assert.Equal("Development", profile.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
    }

    [Fact]
    public async Task Unencrypted_data_protection_keys_outside_development_are_warned_about_at_start_up()
    {
        var folder = Directory.CreateTempSubdirectory("portal-start-");
        try
        {
            var output = await StartUntilAsync("Data Protection keys",
                [("ASPNETCORE_ENVIRONMENT", "Staging"), .. ExternalSso,
                 ("Database:ConnectionString", $"Data Source={Path.Combine(folder.FullName, "portal.db")}"),
                 ("Artifacts:Root", Path.Combine(folder.FullName, "artifacts")), ("Serilog:WriteTo:0:Name", "Console")]);

            Assert.Contains("DataProtection:CertificatePath", output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Starts a portal that is expected to run, reads its output until the text appears, then stops it.</summary>
    private static async Task<string> StartUntilAsync(string expected, params (string Key, string Value)[] settings)
    {
        using var process = Process.Start(StartInfo(settings))!;
        var output = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains(expected, StringComparison.Ordinal))
                    return output.ToString();
            }
            throw new Xunit.Sdk.XunitException($"The portal stopped without writing '{expected}':\n{output}{await process.StandardError.ReadToEndAsync()}");
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The portal did not write '{expected}' within a minute:\n{output}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
