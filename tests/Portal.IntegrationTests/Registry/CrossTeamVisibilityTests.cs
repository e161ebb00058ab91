using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Lineage;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.Registry;

/// <summary>What one team learns of another's private assets through lineage and shares: only what it may read.</summary>
public abstract class CrossTeamVisibilityTests(PortalApp app)
{
    private async Task<CallerAccess> PersonAsync(params string[] groups) =>
        await app.CallerAsync(await app.SignInAsync($"lv-{Guid.NewGuid():N}"[..16], "Person " + string.Join("+", groups), groups));

    private async Task CreateAsync(CallerAccess caller, string team, string asset, AssetKind kind, string version, params UpstreamReference[] lineage)
    {
        var created = await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.CreateAsync(caller, team, new AssetInput(asset, kind, "", null, null)));
        Assert.True(created.IsSuccess, created.Error?.Message);
        var registered = await app.InScopeAsync<VersionService, Result<VersionDetail>>(s =>
            s.CreateAsync(caller, team, asset, new VersionInput(version, Lineage: lineage, ExternalUri: "s3://bucket/data.csv", ExternalHash: "version:1")));
        Assert.True(registered.IsSuccess, registered.Error?.Message);
        var ready = await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.FinalizeAsync(caller, team, asset, version));
        Assert.True(ready.IsSuccess, ready.Error?.Message);
    }

    private async Task<VersionDetail> ReadAsync(CallerAccess caller, string team, string asset) =>
        (await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.GetAsync(caller, team, asset, "1.0.0"))).Value;

    [Fact]
    public async Task Another_teams_private_upstream_is_hidden_from_those_who_cannot_read_it()
    {
        var both = await PersonAsync("marketing-contributors", "finance-contributors");
        var marketingViewer = await PersonAsync("marketing-viewers");
        var (data, model) = ($"secret-data-{Guid.NewGuid():N}"[..20], $"model-{Guid.NewGuid():N}"[..14]);
        await CreateAsync(both, "finance", data, AssetKind.Dataset, "1.0.0");
        await CreateAsync(both, "marketing", model, AssetKind.Model, "1.0.0", new UpstreamReference(LineageKind.TrainedOn, "finance", data, "1.0.0"));

        var seenByBoth = await ReadAsync(both, "marketing", model);
        var seenByViewer = await ReadAsync(marketingViewer, "marketing", model);
        var dataSeenByBoth = await ReadAsync(both, "finance", data);

        Assert.Equal([data], seenByBoth.Upstream.Select(u => u.Asset));
        Assert.Empty(seenByViewer.Upstream);
        Assert.Equal([model], dataSeenByBoth.Downstream.Select(d => d.Asset));
    }

    [Fact]
    public async Task A_share_reader_sees_only_their_own_teams_share_of_an_asset()
    {
        var admin = await PersonAsync("marketing-admins");
        var financeViewer = await PersonAsync("finance-viewers");
        var asset = $"shared-{Guid.NewGuid():N}"[..16];
        await CreateAsync(admin, "marketing", asset, AssetKind.Model, "1.0.0");
        foreach (var other in new[] { "finance", "risk" })
            Assert.True((await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.SetSharingAsync(admin, "marketing", asset, other, true))).IsSuccess);

        var byOwner = await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.GetAsync(admin, "marketing", asset));
        var byShareReader = await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.GetAsync(financeViewer, "marketing", asset));

        Assert.Equal(["finance", "risk"], byOwner.Value.SharedWith);
        Assert.Equal(["finance"], byShareReader.Value.SharedWith);
    }
}

public sealed class CrossTeamVisibilityTests_Sqlite(SqlitePortal app) : CrossTeamVisibilityTests(app), IClassFixture<SqlitePortal>;

public sealed class CrossTeamVisibilityTests_PostgreSql(PostgresPortal app) : CrossTeamVisibilityTests(app), IClassFixture<PostgresPortal>;
