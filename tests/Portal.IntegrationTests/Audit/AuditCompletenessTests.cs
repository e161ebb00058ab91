using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>
/// The class of gap "a service saves a change and forgets the audit event": every save of the demo
/// seeding (teams, members, tokens, assets, versions, artifacts, metrics, model cards, prompts, sharing,
/// policies, transitions, approvals, stages, aliases) and of the portal's start-up is observed, and any
/// save that changes audited data without an audit event in the same save fails the test by entity type.
/// </summary>
public sealed class AuditCompletenessTests
{
    [Fact]
    public async Task Every_save_that_changes_portal_data_writes_an_audit_event_in_the_same_save()
    {
        var unaudited = new ConcurrentBag<string>();
        await using var app = new SqlitePortal();
        // Only this portal's database: other test classes run in parallel with databases of their own.
        PortalDbContext.UnauditedSaveObserver = (connection, types) =>
        {
            if (connection is not null && OwnConnection(app) == connection)
                foreach (var t in types) unaudited.Add(t);
        };
        try
        {
            await app.InitializeAsync();
            await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            Assert.True(await db.AuditEvents.CountAsync() > 50, "the demo seeding should have made many audited changes");
        }
        finally
        {
            PortalDbContext.UnauditedSaveObserver = null;
        }
        Assert.Empty(unaudited.Distinct().Order());
    }

    /// <summary>Null until the portal has created its database (another class may save before that).</summary>
    private static string? OwnConnection(PortalApp app)
    {
        try
        {
            return app.Database.ConnectionString;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
