using System.Security.Cryptography;
using Portal.Core.Common;
using Portal.Core.Exports;
using Portal.Core.Teams;
using Portal.Testing;
using UglyToad.PdfPig;
using static Portal.IntegrationTests.Exports.ExportScenario;

namespace Portal.IntegrationTests.Exports;

/// <summary>The team period report as a PDF, made by the real job and read back with PdfPig, on SQLite and PostgreSQL.</summary>
public abstract class PeriodReportExportTests(PortalApp app)
{
    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static (int Pages, List<string> PageTexts) Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return (document.NumberOfPages, document.GetPages().Select(p => p.Text).ToList());
    }

    [Theory]
    [InlineData("0001-01-10T00:00:00Z", null)]
    [InlineData(null, "0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T00:00:00Z", null)]
    [InlineData(null, "9999-12-30T00:00:00Z")]
    public async Task A_period_outside_what_the_portal_keeps_is_refused_as_invalid(string? to, string? from)
    {
        var auditor = await PersonAsync(app, "portal-auditors");
        var request = new ExportRequest("report", "pdf", "marketing", null,
            from is null ? null : DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            to is null ? null : DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

        var started = await StartAsync(app, auditor, request);

        Assert.Equal("export.invalid", started.Error!.Code);
    }

    [Fact]
    public async Task A_team_report_reads_back_with_its_sections_summary_and_the_access_change_made_in_its_period()
    {
        var admin = await PersonAsync(app, "marketing-admins");
        var tokenName = $"report-{Guid.NewGuid():N}"[..24];
        var issued = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s => s.CreateAsync(admin, "marketing", tokenName, TeamRole.Viewer, 30));
        Assert.True(issued.IsSuccess, issued.Error?.Message);
        var auditor = await PersonAsync(app, "portal-auditors");

        var (view, file) = await MakeAsync(app, auditor, new ExportRequest("report", "pdf", "marketing", null, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(1)));

        var (pages, texts) = Read(file.Content);
        Assert.Equal(view.Pages, pages);
        var text = Squeeze(string.Concat(texts));
        Assert.Contains(Squeeze("Period report: marketing"), text);
        foreach (var section in new[] { "Summary", "Registered", "Promoted and moved", "Rolled back", "Approved and rejected, by whom", "Refused, and why",
            "Policy changes", "Access changes", "Failed verifications" })
            Assert.Contains(Squeeze(section), text);
        Assert.Contains("token.created", text);
        Assert.Contains(Squeeze(tokenName), text);
        Assert.Contains(Squeeze(admin.Actor.Name), text);
        Assert.Contains(Squeeze("Issued to " + auditor.Actor.Name), text);
        Assert.All(Enumerable.Range(1, pages), n => Assert.Contains($"Page {n} of {pages}", texts[n - 1]));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(file.Content)), await IssuedEventAfterAsync(app, view.Id));
    }

    [Fact]
    public async Task A_report_of_a_period_with_nothing_in_a_section_says_so()
    {
        var auditor = await PersonAsync(app, "portal-auditors");
        var longAgo = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var (_, file) = await MakeAsync(app, auditor, new ExportRequest("report", "pdf", "marketing", null, longAgo, longAgo.AddDays(30)));

        var (_, texts) = Read(file.Content);
        var text = Squeeze(string.Concat(texts));
        Assert.Contains(Squeeze("None recorded."), text);
        Assert.DoesNotContain("token.created", text);
    }
}

public sealed class PeriodReportExportTests_Sqlite(SqlitePortal app) : PeriodReportExportTests(app), IClassFixture<SqlitePortal>;

public sealed class PeriodReportExportTests_PostgreSql(PostgresPortal app) : PeriodReportExportTests(app), IClassFixture<PostgresPortal>;
