using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>Dates given with another offset than UTC mean the same instants (PostgreSQL refused them, SQLite shifted the window).</summary>
public abstract class AuditSearchOffsetTests(PortalApp app)
{
    [Fact]
    public async Task An_audit_search_with_dates_in_another_offset_compares_the_same_instants()
    {
        var admin = await app.CallerAsync(await app.SignInAsync("audit-offset-admin", "Audit Offset Admin", "marketing-admins"));
        var now = DateTimeOffset.UtcNow;

        Task<Result<AuditPage>> Search(DateTimeOffset from, DateTimeOffset to) => app.InScopeAsync<AuditQueryService, Result<AuditPage>>(s =>
            s.SearchAsync(admin, new AuditFilter { Team = "marketing", From = from, To = to, Limit = 100 }, CancellationToken.None));
        var utc = await Search(now.AddDays(-30), now.AddMinutes(1));
        var shifted = await Search(now.AddDays(-30).ToOffset(TimeSpan.FromHours(2)), now.AddMinutes(1).ToOffset(TimeSpan.FromHours(-5)));

        Assert.True(utc.IsSuccess, utc.Error?.Message);
        Assert.True(shifted.IsSuccess, shifted.Error?.Message);
        Assert.NotEmpty(utc.Value.Items);
        Assert.Equal(utc.Value.Items.Select(e => e.Sequence), shifted.Value.Items.Select(e => e.Sequence));
    }
}

public sealed class AuditSearchOffsetTests_Sqlite(SqlitePortal app) : AuditSearchOffsetTests(app), IClassFixture<SqlitePortal>;

public sealed class AuditSearchOffsetTests_PostgreSql(PostgresPortal app) : AuditSearchOffsetTests(app), IClassFixture<PostgresPortal>;
