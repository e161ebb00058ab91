using System.Diagnostics;
using System.Text.RegularExpressions;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

public sealed class ReadmePortal() : PortalApp(DatabaseProvider.Sqlite, realPort: true);

/// <summary>The README's pipeline walk-through, run verbatim with bash and curl against a fresh embedded default.</summary>
public sealed partial class ReadmeWalkthroughTests(ReadmePortal app) : IClassFixture<ReadmePortal>
{
    private const string Section = "## Using the API from a pipeline";

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    private static string WalkThrough()
    {
        var readme = File.ReadAllText(Path.Combine(PortalApp.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{Section}' section.");
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return string.Join("\n", BashBlock().Matches(section).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void Every_curl_in_the_walk_through_fails_visibly()
    {
        var curls = WalkThrough().Split('\n').Where(l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(curls);
        Assert.All(curls, c => Assert.Contains("curl -fsS ", c));
    }

    [Fact]
    public async Task Walk_through_runs_verbatim_on_a_fresh_embedded_default()
    {
        var token = await app.IssueTokenAsync("marketing", TeamRole.Contributor);
        var lines = WalkThrough().Split('\n').Select(line =>
            line.StartsWith("TOKEN=", StringComparison.Ordinal) ? $"TOKEN='{token}'"
            : line.StartsWith("API=", StringComparison.Ordinal) ? line.Replace("http://localhost:5080", app.RootUrl, StringComparison.Ordinal)
            : line);
        var script = "set -euo pipefail\n" + string.Join("\n", lines);
        Assert.Contains(app.RootUrl + "/api/v1/", script);
        var folder = Directory.CreateTempSubdirectory("portal-readme-");
        try
        {
            var start = new ProcessStartInfo("bash", ["-c", script])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var bash = Process.Start(start)!;
            var output = bash.StandardOutput.ReadToEndAsync();
            var error = bash.StandardError.ReadToEndAsync();
            await bash.WaitForExitAsync();

            Assert.True(bash.ExitCode == 0, $"The README walk-through failed (exit {bash.ExitCode}):\n{await error}\n{await output}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        using var client = await app.ApiClientAsync("marketing", TeamRole.Viewer);
        var version = await client.GetStringAsync("/api/v1/teams/marketing/assets/iris-pipeline-model/versions/1.0.0");
        Assert.Contains("\"Ready\"", version);
    }
}
