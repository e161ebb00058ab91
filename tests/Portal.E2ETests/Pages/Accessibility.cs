using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.E2ETests.Pages;

/// <summary>axe-core's WCAG 2.1 A and AA rules run on a page as a browser test sees it.</summary>
public static class Accessibility
{
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    private static AxeRunOptions Wcag21AA() => new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>
    /// Fails on serious or critical violations; every finding (moderate ones too) is written beside the
    /// screenshots, so a reader sees what remains.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        // Colours read mid-fade (a snackbar sliding in) are blends, not what the reader sees; spinners never end.
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)");
        var result = await page.RunAxe(Wcag21AA());
        var report = Describe(result.Violations);
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ScreenshotFolder, $"axe-{name}.txt"),
            report.Length == 0 ? "No violations." : report);
        var blocking = result.Violations.Where(v => BlockingImpacts.Contains(v.Impact)).ToArray();
        if (blocking.Length > 0)
            Assert.Fail($"{page.Url} has serious or critical accessibility violations:{Environment.NewLine}{Describe(blocking)}");
    }

    private static string Describe(IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.AppendLine($"[{violation.Impact}] {violation.Id}: {violation.Help}");
            foreach (var node in violation.Nodes.Take(5))
                text.AppendLine($"    {node.Target} :: {string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message))}");
        }
        return text.ToString();
    }
}
