using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.Registry;

/// <summary>The asset page's metrics across versions, on SQLite and PostgreSQL.</summary>
public abstract class MetricTrendTests(PortalApp app)
{
    [Fact]
    public async Task Each_overall_metric_runs_across_Ready_versions_in_SemVer_order_with_gaps_and_without_slices_steps_or_golden_figures()
    {
        var caller = await app.CallerAsync(await app.SignInAsync($"trend-{Guid.NewGuid():N}"[..14], "Trend Contributor", "marketing-contributors"));
        var asset = $"trend-{Guid.NewGuid():N}"[..14];
        Assert.True((await app.InScopeAsync<AssetService, Result<AssetDetail>>(s => s.CreateAsync(caller, "marketing", new AssetInput(asset, AssetKind.Model, "trend", null, [])))).IsSuccess);
        // Registered out of order: the trend follows SemVer, not registration time.
        await VersionAsync(caller, asset, "1.10.0", [new("accuracy", 0.91), new("latency", 40)]);
        await VersionAsync(caller, asset, "1.2.0", [new("accuracy", 0.88), new("accuracy", 0.70, Slice: "region=eu"), new("loss", 0.3, Step: 5)]);
        var withGolden = await VersionAsync(caller, asset, "1.9.0", [new("latency", 55)]);
        await AddGoldenFigureAsync(withGolden, "accuracy", 0.99);
        await VersionAsync(caller, asset, "2.0.0", [new("accuracy", 0.93)], finalize: false);

        var trend = await app.InScopeAsync<MetricTrendService, Result<MetricTrend>>(s => s.TrendAsync(caller, "marketing", asset));

        Assert.True(trend.IsSuccess, trend.Error?.Message);
        Assert.Equal(["1.2.0", "1.9.0", "1.10.0"], trend.Value.Versions.Select(v => v.Version));
        Assert.Equal(["accuracy", "latency"], trend.Value.Series.Keys.Order());
        Assert.Equal([0.88, null, 0.91], trend.Value.Series["accuracy"]);
        Assert.Equal([null, 55, 40], trend.Value.Series["latency"]);
    }

    [Fact]
    public async Task Another_teams_member_cannot_read_the_trend_of_an_unshared_asset()
    {
        var outsider = await app.CallerAsync(await app.SignInAsync($"trend-out-{Guid.NewGuid():N}"[..16], "Finance Viewer", "finance-viewers"));

        var trend = await app.InScopeAsync<MetricTrendService, Result<MetricTrend>>(s => s.TrendAsync(outsider, "marketing", "churn-classifier"));

        Assert.False(trend.IsSuccess);
    }

    /// <summary>A golden run's figure, as the run's writer stores it (only jobs and evidence tokens may).</summary>
    private async Task AddGoldenFigureAsync(Guid versionId, string name, double value)
    {
        await using var db = await app.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Core.Data.PortalDbContext>>().CreateDbContextAsync();
        db.Metrics.Add(new Metric { VersionId = versionId, Name = name, Slice = "", Value = value, Source = MetricSource.GoldenCheck, RecordedAt = DateTimeOffset.UtcNow, RecordedBy = "golden-check" });
        await db.SaveChangesAsync();
    }

    private async Task<Guid> VersionAsync(Portal.Core.Teams.CallerAccess caller, string asset, string version, MetricInput[] metrics, bool finalize = true)
    {
        var created = await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.CreateAsync(caller, "marketing", asset, new VersionInput(version)));
        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.True((await app.InScopeAsync<ArtifactService, Result<ArtifactView>>(s => s.UploadAsync(caller, "marketing", asset, version, "model.bin", new MemoryStream([1, 2, 3]), null, null))).IsSuccess);
        var logged = await app.InScopeAsync<MetricService, Result<int>>(s => s.LogAsync(caller, "marketing", asset, version, metrics));
        Assert.True(logged.IsSuccess, logged.Error?.Message);
        if (finalize)
            Assert.True((await app.InScopeAsync<VersionService, Result<VersionDetail>>(s => s.FinalizeAsync(caller, "marketing", asset, version))).IsSuccess);
        return created.Value.Id;
    }
}

public sealed class MetricTrendTests_Sqlite(SqlitePortal app) : MetricTrendTests(app), IClassFixture<SqlitePortal>;

public sealed class MetricTrendTests_PostgreSql(PostgresPortal app) : MetricTrendTests(app), IClassFixture<PostgresPortal>;
