using System.Text.Json;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Exports;
using Portal.Core.Lineage;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;
using static Portal.IntegrationTests.Exports.ExportScenario;

namespace Portal.IntegrationTests.Exports;

/// <summary>A dossier names another team's versions in its lineage only for someone who may read them.</summary>
public abstract class DossierPrivacyTests(PortalApp app)
{
    [Fact]
    public async Task A_team_admins_dossier_marks_another_teams_private_upstream_as_restricted_while_an_auditors_names_it()
    {
        var (data, model) = await PrivateUpstreamAsync(await PersonAsync(app, "marketing-contributors", "finance-contributors"));
        var request = new ExportRequest("dossier", "json", "marketing", model, null, null);

        var (byTeamAdmin, _) = await LineageAsync(await PersonAsync(app, "marketing-admins"), request);
        var (byAuditor, _) = await LineageAsync(await PersonAsync(app, "portal-auditors"), request);

        // The audit events keep their payloads as recorded (their proofs cover them); the lineage section is what is read as the asset's provenance.
        Assert.Equal(["a version of another team (restricted)"], byTeamAdmin);
        Assert.Equal([$"finance/{data}@1.0.0"], byAuditor);
    }

    [Fact]
    public async Task A_dossier_asked_for_with_a_token_is_drawn_with_what_the_token_may_read_not_its_issuers_other_teams()
    {
        var issuer = await PersonAsync(app, "marketing-admins", "finance-contributors");
        var (data, model) = await PrivateUpstreamAsync(issuer);
        var request = new ExportRequest("dossier", "json", "marketing", model, null, null);
        var issued = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s => s.CreateAsync(issuer, "marketing", $"dossier-{Guid.NewGuid():N}"[..20], TeamRole.TeamAdmin, 7));
        Assert.True(issued.IsSuccess, issued.Error?.Message);
        var principal = await app.InScopeAsync<ApiTokenService, Result<ApiTokenPrincipal>>(s => s.AuthenticateAsync(issued.Value.Secret));
        var token = AccessService.ForToken(principal.Value, principal.Value.Actor);

        var (byToken, tokens) = await LineageAsync(token, request);
        var (byIssuer, issuers) = await LineageAsync(issuer, request);

        Assert.Equal(["a version of another team (restricted)"], byToken);
        Assert.Equal([$"finance/{data}@1.0.0"], byIssuer);
        // The issuer's own export was drawn with roles the token does not hold: the token neither lists nor reads it; the issuer sees both.
        var tokenSees = (await app.InScopeAsync<ExportService, Result<IReadOnlyList<ExportView>>>(s => s.ListAsync(token))).Value.Select(x => x.Id).ToList();
        var issuerSees = (await app.InScopeAsync<ExportService, Result<IReadOnlyList<ExportView>>>(s => s.ListAsync(issuer))).Value.Select(x => x.Id).ToList();
        Assert.Contains(tokens, tokenSees);
        Assert.DoesNotContain(issuers, tokenSees);
        Assert.Equal("export.not-found", (await app.InScopeAsync<ExportService, Result<ExportFile>>(s => s.DownloadAsync(token, issuers.ToString()))).Error?.Code);
        Assert.Contains(tokens, issuerSees);
        Assert.Contains(issuers, issuerSees);
    }

    /// <summary>A Finance dataset and a Marketing model trained on it, both Ready, registered by someone in both teams.</summary>
    private async Task<(string Data, string Model)> PrivateUpstreamAsync(CallerAccess both)
    {
        var (data, model) = ($"private-data-{Guid.NewGuid():N}"[..21], $"dossier-model-{Guid.NewGuid():N}"[..22]);
        foreach (var (team, asset, kind, lineage) in new[]
        {
            ("finance", data, AssetKind.Dataset, Array.Empty<UpstreamReference>()),
            ("marketing", model, AssetKind.Model, [new UpstreamReference(LineageKind.TrainedOn, "finance", data, "1.0.0")]),
        })
        {
            Assert.True((await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.CreateAsync(both, team, new AssetInput(asset, kind, "", null, null)))).IsSuccess);
            var version = await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.CreateAsync(both, team, asset, new VersionInput("1.0.0", Lineage: lineage, ExternalUri: "s3://bucket/data.csv", ExternalHash: "version:1")));
            Assert.True(version.IsSuccess, version.Error?.Message);
            Assert.True((await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.FinalizeAsync(both, team, asset, "1.0.0"))).IsSuccess);
        }
        return (data, model);
    }

    /// <summary>The lineage section of the dossier the caller gets, and the export's id.</summary>
    private async Task<(List<string> Lineage, Guid Export)> LineageAsync(CallerAccess caller, ExportRequest request)
    {
        var (view, file) = await MakeAsync(app, caller, request);
        using var json = JsonDocument.Parse(file.Content);
        return (json.RootElement.GetProperty("lineage").EnumerateArray().Select(l => l.GetProperty("other").GetString()!).ToList(), view.Id);
    }
}

public sealed class DossierPrivacyTests_Sqlite(SqlitePortal app) : DossierPrivacyTests(app), IClassFixture<SqlitePortal>;

public sealed class DossierPrivacyTests_PostgreSql(PostgresPortal app) : DossierPrivacyTests(app), IClassFixture<PostgresPortal>;
