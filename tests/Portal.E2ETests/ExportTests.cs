using System.Security.Cryptography;
using Microsoft.Playwright;
using Portal.E2ETests.Pages;

namespace Portal.E2ETests;

/// <summary>An auditor exports a dossier in the browser, downloads it and checks it on the check page.</summary>
public sealed class ExportTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Auditor_exports_a_dossier_downloads_it_and_the_check_page_says_it_was_issued_to_her()
    {
        var page = await fixture.NewPageAsync();
        var shell = new PortalShell(page);
        try
        {
            await new DevSignInPage(page).OpenAsAsync("/audit/exports", "Aude Laurent");
            await Assertions.Expect(shell.Heading).ToHaveTextAsync("Audit exports");
            await page.GetByTestId("export-team").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("Marketing", new() { Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Asset" }).FillAsync("churn");
            await page.Locator(".mud-popover-open").GetByText("churn-classifier", new() { Exact = true }).ClickAsync();
            await shell.ScreenshotAsync("exports-form");
            await page.GetByTestId("start-export").ClickAsync();

            var download = page.GetByTestId("download-export").First;
            await Assertions.Expect(download).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("exports-table")).ToContainTextAsync("Dossier of marketing/churn-classifier");
            await shell.ScreenshotAsync("exports-ready");
            var file = await page.RunAndWaitForDownloadAsync(() => download.ClickAsync());
            var path = Path.Combine(BrowserFixture.ScreenshotFolder, file.SuggestedFilename);
            await file.SaveAsAsync(path);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.StartsWith("dossier-marketing-churn-classifier-", file.SuggestedFilename);
            Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
            var shown = await page.GetByTestId("exports-table").Locator("code").First.GetAttributeAsync("title");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), shown);

            await page.GetByRole(AriaRole.Link, new() { Name = "Check an export" }).First.ClickAsync();
            await Assertions.Expect(shell.Heading).ToHaveTextAsync("Check an export");
            var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Choose a file to check" }).ClickAsync());
            await chooser.SetFilesAsync(path);
            await Assertions.Expect(page.GetByTestId("check-result")).ToContainTextAsync("This file was issued by the portal on", new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("check-result")).ToContainTextAsync("to Aude Laurent");
            await shell.ScreenshotAsync("export-check-issued");

            var chooserAgain = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Choose a file to check" }).ClickAsync());
            await chooserAgain.SetFilesAsync(new FilePayload { Name = "notes.pdf", MimeType = "application/pdf", Buffer = "not a pdf at all"u8.ToArray() });
            await Assertions.Expect(page.GetByTestId("check-result")).ToContainTextAsync("neither a PDF nor a JSON file");
            await shell.ScreenshotAsync("export-check-malformed");
        }
        catch
        {
            await shell.ScreenshotAsync("FAILED-exports");
            throw;
        }
    }
}
