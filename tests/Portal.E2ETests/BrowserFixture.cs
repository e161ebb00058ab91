using Microsoft.Playwright;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.E2ETests;

/// <summary>The portal on a real Kestrel port and Debian's Chromium driven by Playwright, shared by a test class.</summary>
public class BrowserFixture : IAsyncLifetime
{
    public PortalApp App { get; }

    public BrowserFixture() : this(goldenRuns: false)
    {
    }

    /// <param name="goldenRuns">Whether the demo's golden checks run at start-up, as on the embedded default (they load ML.NET and ONNX Runtime).</param>
    protected BrowserFixture(bool goldenRuns) =>
        App = new(DatabaseProvider.Sqlite, realPort: true, new Dictionary<string, string>
        {
            ["Security:SessionRevalidationSeconds"] = "2",
            ["Portal:SeedDemoGoldenRuns"] = goldenRuns ? "true" : "false",
        });

    public IBrowser Browser { get; private set; } = default!;
    private IPlaywright? _playwright;

    public static string ScreenshotFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
                dir = dir.Parent;
            var folder = Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS")
                ?? Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) with a desktop-sized window.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.RootUrl,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        // Snackbars appear at once, not by a fade: one that fades in while axe reads the page (after the wait for running animations,
        // a second snackbar did) has its colours read as blends, and its contrast failed. Spinners keep turning.
        await context.AddInitScriptAsync("""
            document.addEventListener('DOMContentLoaded', () => {
                const style = document.createElement('style');
                style.textContent = '.mud-snackbar, .mud-snackbar * { animation-duration: 0s !important; animation-delay: 0s !important; '
                    + 'transition-duration: 0s !important; transition-delay: 0s !important; }';
                document.head.appendChild(style);
            });
            """);
        var page = await context.NewPageAsync();
        // The browser console goes to a log beside the screenshots: a failing page explains itself there.
        var log = Path.Combine(ScreenshotFolder, "browser-console.log");
        page.Console += (_, message) => File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss} {message.Type}: {message.Text}{Environment.NewLine}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss} http {response.Status}: {response.Url}{Environment.NewLine}");
        };
        page.PageError += (_, error) => File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss} pageerror: {error}{Environment.NewLine}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
