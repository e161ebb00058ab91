using Portal.Core.Archiving;
using Portal.Core.Common;
using Portal.Testing;
using static Portal.IntegrationTests.Archiving.ArchivingScenario;

namespace Portal.IntegrationTests.Archiving;

/// <summary>A legal hold's reason is what people write on a lifecycle request: required, at most 2000 characters, printable.</summary>
public abstract class LegalHoldReasonTests(PortalApp app)
{
    public static TheoryData<string> Unfit => ["", "   ", "keep\0it", "keep \u001b[31mit", new string('x', 2001)];

    [Theory]
    [MemberData(nameof(Unfit))]
    public async Task A_legal_hold_with_an_unfit_reason_is_refused_and_changes_nothing(string reason)
    {
        var s = await StartAsync(app);
        var asset = Unique("hold");
        var id = await s.VersionAsync(asset, "1.0.0", [("a.bin", Bytes())]);

        var refused = await app.InScopeAsync<ArchiveService, Result<bool>>(a => a.SetLegalHoldAsync(s.Admin, Finance, asset, "1.0.0", true, reason));

        Assert.Equal("archive.reason-required", refused.Error?.Code);
        Assert.False((await s.VersionRowAsync(id)).LegalHold);
    }

    [Fact]
    public async Task A_legal_hold_with_lines_and_tabs_in_its_reason_is_set()
    {
        var s = await StartAsync(app);
        var asset = Unique("hold");
        var id = await s.VersionAsync(asset, "1.0.0", [("a.bin", Bytes())]);

        var held = await app.InScopeAsync<ArchiveService, Result<bool>>(a => a.SetLegalHoldAsync(s.Admin, Finance, asset, "1.0.0", true, "Case 2026-17:\n\tkeep until closed"));

        Assert.True(held.IsSuccess, held.Error?.Message);
        Assert.True((await s.VersionRowAsync(id)).LegalHold);
    }
}

public sealed class LegalHoldReasonTests_Sqlite(SqlitePortal app) : LegalHoldReasonTests(app), IClassFixture<SqlitePortal>;
