using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Portal.Core.Exports;
using Portal.Testing;
using UglyToad.PdfPig;
using static Portal.IntegrationTests.Exports.ExportScenario;

namespace Portal.IntegrationTests.Exports;

/// <summary>The asset dossier of the demo churn model, made by the real job, read back from the PDF and the JSON, on SQLite and PostgreSQL.</summary>
public abstract class DossierExportTests(PortalApp app)
{
    private static readonly ExportRequest ChurnDossier = new("dossier", "pdf", "marketing", "churn-classifier", null, null);

    /// <summary>The text of every page with all whitespace removed, so words wrapped across table lines still match.</summary>
    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Concat(document.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Fact]
    public async Task A_dossier_reads_back_with_its_sections_approval_comments_and_audit_event_hashes()
    {
        var auditor = await PersonAsync(app, "portal-auditors");
        var checkpoint = await SignCheckpointAsync(app);

        var (view, file) = await MakeAsync(app, auditor, ChurnDossier);

        Assert.True(view.Pages >= 2, $"{view.Pages} pages");
        var text = Squeeze(Text(file.Content));
        foreach (var section in new[] { "Asset dossier: marketing/churn-classifier", "Model card", "Versions", "Stage history", "Lineage", "Metrics by slice",
            "Transition requests, approvals and policy results", "Audit events", "Integrity: checkpoint, inclusion proofs and verification" })
            Assert.Contains(Squeeze(section), text);
        Assert.Contains(Squeeze("Validated on the January holdout; fairness across regions is fine."), text);
        Assert.Contains(Squeeze("Issued to " + auditor.Actor.Name), text);
        var events = await AssetEventsAsync(app, "churn-classifier");
        Assert.NotEmpty(events);
        foreach (var (_, action, hash) in events)
        {
            Assert.Contains(action, text);
            Assert.Contains(hash, text);
        }
        Assert.NotNull(checkpoint);
        Assert.Contains(Convert.ToHexStringLower(checkpoint.RootHash), text);
        Assert.Contains("Inclusionproofs", text);
        // The covered events' leaf hashes and the subtree hashes of their audit paths are printed, not "none recorded".
        Assert.Contains("Subtreehash", text);
        Assert.DoesNotContain(Squeeze("no signed checkpoint covers these events"), text);
        Assert.Contains($"Page1of{view.Pages}", text);
    }

    [Fact]
    public async Task The_issued_event_holds_the_files_SHA256_and_the_check_names_who_it_was_issued_to()
    {
        var auditor = await PersonAsync(app, "portal-auditors");
        var (view, file) = await MakeAsync(app, auditor, ChurnDossier);

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Content));
        Assert.Equal(sha256, view.Sha256);
        Assert.Contains(sha256, await IssuedEventAfterAsync(app, view.Id));

        var check = await CheckAsync(app, auditor, file.Content);
        Assert.True(check.Value.Issued, check.Value.Message);
        Assert.Equal(auditor.Actor.Name, check.Value.IssuedTo);
        Assert.StartsWith("This file was issued by the portal on ", check.Value.Message);

        var changed = (byte[])file.Content.Clone();
        changed[changed.Length / 2] ^= 0x01;
        var tampered = await CheckAsync(app, auditor, changed);
        Assert.False(tampered.Value.Issued);
    }

    [Fact]
    public async Task A_malformed_or_cut_short_file_gets_a_clear_message()
    {
        var auditor = await PersonAsync(app, "portal-auditors");
        var (_, file) = await MakeAsync(app, auditor, ChurnDossier);

        var notPdf = await CheckAsync(app, auditor, "PK\u0003\u0004 a zip file"u8.ToArray());
        var cut = await CheckAsync(app, auditor, file.Content[..(file.Content.Length / 2)]);
        var empty = await CheckAsync(app, auditor, []);

        Assert.Equal("export.file-malformed", notPdf.Error!.Code);
        Assert.Equal("export.file-malformed", cut.Error!.Code);
        Assert.Contains("incomplete or damaged", cut.Error.Message);
        Assert.Equal("export.file-empty", empty.Error!.Code);
    }

    [Fact]
    public async Task The_JSON_dossier_holds_the_same_decisions_and_events_with_proofs_that_verify_offline()
    {
        var admin = await PersonAsync(app, "marketing-admins");
        var checkpoint = await SignCheckpointAsync(app);

        var (view, file) = await MakeAsync(app, admin, ChurnDossier with { Format = "json" });

        Assert.EndsWith(".json", view.FileName);
        using var json = JsonDocument.Parse(file.Content);
        var root = json.RootElement;
        Assert.Equal("churn-classifier", root.GetProperty("asset").GetProperty("name").GetString());
        var comments = root.GetProperty("transitions").EnumerateArray().SelectMany(t => t.GetProperty("decisions").EnumerateArray())
            .Select(d => d.GetProperty("comment").GetString()).ToList();
        Assert.Contains("Validated on the January holdout; fairness across regions is fine.", comments);
        var events = await AssetEventsAsync(app, "churn-classifier");
        var exported = root.GetProperty("auditEvents").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Subset(exported.ToHashSet(), events.Select(e => e.Sequence).ToHashSet());
        // Every event the checkpoint covers carries an audit path that folds to the signed root, with nothing but the file.
        var proven = root.GetProperty("auditEvents").EnumerateArray().Where(e => e.GetProperty("inclusionProof").ValueKind == JsonValueKind.Array).ToList();
        Assert.NotEmpty(proven);
        foreach (var e in proven)
        {
            var path = e.GetProperty("inclusionProof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
            Assert.True(Portal.Core.Audit.Chain.MerkleProofs.VerifyInclusion(Convert.FromHexString(e.GetProperty("leafHash").GetString()!),
                e.GetProperty("leafIndex").GetInt64(), checkpoint!.TreeSize, path, checkpoint.RootHash), $"event {e.GetProperty("sequence")}");
        }
        Assert.True((await CheckAsync(app, admin, file.Content)).Value.Issued);
    }

    [Fact]
    public async Task Members_below_TeamAdmin_and_other_teams_cannot_export_and_only_the_requester_downloads()
    {
        var viewer = await PersonAsync(app, "marketing-approvers");
        var otherAdmin = await PersonAsync(app, "finance-admins");
        var auditor = await PersonAsync(app, "portal-auditors");
        var otherAuditor = await PersonAsync(app, "portal-auditors");

        Assert.Equal("team.forbidden", (await StartAsync(app, viewer, ChurnDossier)).Error!.Code);
        Assert.Equal("asset.not-found", (await StartAsync(app, otherAdmin, ChurnDossier)).Error!.Code);
        Assert.Equal("platform.forbidden", (await StartAsync(app, otherAdmin, new ExportRequest("report", "pdf", null, null, null, null))).Error!.Code);
        var (view, file) = await MakeAsync(app, auditor, ChurnDossier);
        var someoneElse = await app.InScopeAsync<ExportService, Portal.Core.Common.Result<ExportFile>>(s => s.DownloadAsync(otherAuditor, view.Id.ToString()));
        Assert.Equal("export.not-found", someoneElse.Error!.Code);
        Assert.Contains((await app.InScopeAsync<ExportService, Portal.Core.Common.Result<IReadOnlyList<ExportView>>>(s => s.ListAsync(auditor))).Value, x => x.Id == view.Id);
        Assert.DoesNotContain((await app.InScopeAsync<ExportService, Portal.Core.Common.Result<IReadOnlyList<ExportView>>>(s => s.ListAsync(otherAuditor))).Value,
            x => x.Id == view.Id);
        // The finance TeamAdmin may not export marketing, so the check tells them nothing about this file.
        Assert.False((await CheckAsync(app, otherAdmin, file.Content)).Value.Issued);
    }

    [Fact]
    public async Task Dossier_pages_render_to_PNG_for_a_look()
    {
        if (!File.Exists("/usr/bin/pdftoppm"))
            Assert.Skip("pdftoppm (poppler-utils) is not installed.");
        var auditor = await PersonAsync(app, "portal-auditors");
        var (_, file) = await MakeAsync(app, auditor, ChurnDossier);
        var dir = Path.Combine(PortalApp.RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        var pdf = Path.Combine(dir, $"dossier-{app.Provider}.pdf".ToLowerInvariant());
        await File.WriteAllBytesAsync(pdf, file.Content);
        foreach (var old in Directory.GetFiles(dir, Path.GetFileNameWithoutExtension(pdf) + "-*.png"))
            File.Delete(old);

        using var render = Process.Start(new ProcessStartInfo("/usr/bin/pdftoppm", ["-png", "-r", "80", pdf, Path.ChangeExtension(pdf, null)])
            { RedirectStandardError = true })!;
        var errors = await render.StandardError.ReadToEndAsync();
        await render.WaitForExitAsync();

        Assert.True(render.ExitCode == 0, errors);
        Assert.NotEmpty(Directory.GetFiles(dir, Path.GetFileNameWithoutExtension(pdf) + "-*.png"));
    }
}

public sealed class DossierExportTests_Sqlite(SqlitePortal app) : DossierExportTests(app), IClassFixture<SqlitePortal>;

public sealed class DossierExportTests_PostgreSql(PostgresPortal app) : DossierExportTests(app), IClassFixture<PostgresPortal>;
