using Portal.Core.Archiving;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Testing;
using static Portal.IntegrationTests.Archiving.ArchivingScenario;

namespace Portal.IntegrationTests.Archiving;

/// <summary>A refused purge says what still needs the version without naming another team's private assets.</summary>
public abstract class ArchivingPrivacyTests(PortalApp app)
{
    [Fact]
    public async Task A_purge_refusal_counts_other_teams_versions_without_naming_them()
    {
        var s = await StartAsync(app, retentionDays: 0);
        var marketing = await app.CallerAsync(await app.SignInAsync($"mk-{Guid.NewGuid():N}"[..16], "Marketing Contributor", "marketing-contributors"));
        var bytes = Bytes();
        var own = Unique("own");
        await s.VersionAsync(own, "1.0.0", [("weights.bin", bytes)]);
        var secret = Unique("secret-model");
        await s.VersionAsync(secret, "1.0.0", [("weights.bin", bytes)], kind: AssetKind.Model, team: "marketing", by: marketing);
        await s.RunAsync(await s.PlanRunAsync());

        var refused = await app.InScopeAsync<ArchiveRestoreService, Result<PurgedVersion>>(p => p.PurgeAsync(s.Admin, Finance, own, "1.0.0", $"{own}/1.0.0"));

        Assert.Equal("archive.still-referenced", refused.Error!.Code);
        Assert.Contains("1 of other teams", refused.Error.Message);
        Assert.DoesNotContain(secret, refused.Error.Message);
    }
}

public sealed class ArchivingPrivacyTests_Sqlite(SqlitePortal app) : ArchivingPrivacyTests(app), IClassFixture<SqlitePortal>;

public sealed class ArchivingPrivacyTests_PostgreSql(PostgresPortal app) : ArchivingPrivacyTests(app), IClassFixture<PostgresPortal>;
