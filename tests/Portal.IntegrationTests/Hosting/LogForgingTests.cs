using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

/// <summary>The portal with its logs in a text file and a JSON-lines file, configured as an operator would.</summary>
public class FileLoggingPortal : PortalApp
{
    public FileLoggingPortal() : this(Path.Combine(Path.GetTempPath(), "portal-tests", "logs-" + Guid.NewGuid().ToString("N")))
    {
    }

    private FileLoggingPortal(string folder) : base(DatabaseProvider.Sqlite, settings: new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Information" })
    {
        Folder = folder;
    }

    /// <summary>The sinks an operator would put in appsettings.json: a text file with the default template and a compact JSON file.</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Directory.CreateDirectory(Folder);
        var settings = Path.Combine(Folder, "logging.json");
        File.WriteAllText(settings, JsonSerializer.Serialize(new
        {
            Serilog = new
            {
                WriteTo = new object[]
                {
                    new { Name = "File", Args = new { path = Path.Combine(Folder, "portal.log"),
                        outputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {RequestPath} {Properties}{NewLine}{Exception}" } },
                    new { Name = "File", Args = new { path = Path.Combine(Folder, "portal.json"),
                        formatter = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact" } },
                },
            },
        }));
        builder.ConfigureAppConfiguration(c => c.AddJsonFile(settings));
    }

    public string Folder { get; }

    /// <summary>The file's lines once it holds <paramref name="marker"/>: the request log is written after the response.</summary>
    public async Task<string[]> LinesAsync(string file, string marker)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var stream = new FileStream(Path.Combine(Folder, file), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var text = await new StreamReader(stream).ReadToEndAsync();
            if (text.Contains(marker, StringComparison.Ordinal) || attempt == 50)
                return text.Split('\n');
            await Task.Delay(100);
        }
    }
}

/// <summary>No value from a request can start a new line or forge a log entry, in the text or the JSON formatter.</summary>
public sealed partial class LogForgingTests(FileLoggingPortal app) : IClassFixture<FileLoggingPortal>
{
    private const string Forged = "[12:00:00 ERR] FORGED entry";

    [GeneratedRegex(@"^(\[\d\d:\d\d:\d\d [A-Z]{3}\] |\s+at |$)")]
    private static partial Regex EntryOrStackLine();

    [Theory]
    [InlineData("/api/v1/teams/marketing/assets/x{0}")]
    [InlineData("/api/v1/teams/marketing/assets?limit=1{0}")]
    [InlineData("/api/v1/teams/marketing/assets/x/versions/1.0.0/artifacts/a{0}.bin")]
    public async Task Line_breaks_in_a_request_never_start_a_new_log_line_or_entry(string template)
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Viewer);
        var marker = Guid.NewGuid().ToString("N");
        var injected = Uri.EscapeDataString($"\r\n{Forged} {marker}\u2028\u202E");

        var response = await client.GetAsync(string.Format(template, injected));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        var text = await app.LinesAsync("portal.log", marker);
        var json = await app.LinesAsync("portal.json", marker);
        Assert.Contains(text, line => line.Contains(marker, StringComparison.Ordinal));
        Assert.All(text, line => Assert.Matches(EntryOrStackLine(), line));
        Assert.DoesNotContain(text, line => line.StartsWith(Forged, StringComparison.Ordinal));
        Assert.All(json.Where(line => line.Length > 0), line => JsonDocument.Parse(line).Dispose());
        Assert.DoesNotContain(json, line => line.Contains('\u2028') || line.Contains('\u202E'));
    }

    [Fact]
    public async Task Binding_failures_are_logged_once_at_information_without_a_stack_trace()
    {
        var client = await app.ApiClientAsync("marketing", TeamRole.Viewer);
        var marker = Guid.NewGuid().ToString("N");

        var response = await client.GetAsync($"/api/v1/teams/marketing/assets?limit={marker}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var entries = (await app.LinesAsync("portal.json", marker)).Where(l => l.Contains(marker, StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var binding = Assert.Single(entries, e => e.GetProperty("@mt").GetString()!.Contains("binding", StringComparison.Ordinal));
        Assert.False(binding.TryGetProperty("@l", out _), "Compact JSON omits the level only for Information.");
        Assert.DoesNotContain(entries, e => e.TryGetProperty("@x", out _));
    }
}
