using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>In Development, and so in every test, a query EF Core warns about fails at once instead of leaving a line in the log.</summary>
public sealed class QueryShapeTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task A_row_limit_without_an_order_fails_in_Development()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Teams.Skip(1).Take(2).ToListAsync());

        Assert.Contains("RowLimitingOperationWithoutOrderByWarning", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await db.Teams.OrderBy(t => t.Slug).Skip(1).Take(2).ToListAsync()).Count);
    }

    [Fact]
    public async Task Two_collections_in_one_query_fail_in_Development_unless_the_query_says_it_means_it()
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var twoCollections = db.Users.Select(u => new
        {
            Teams = db.TeamMemberships.Where(m => m.UserId == u.Id).Select(m => m.TeamId).ToList(),
            Globals = db.GlobalRoleAssignments.Where(g => g.UserId == u.Id).Select(g => g.Role).ToList(),
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => twoCollections.ToListAsync());

        Assert.Contains("MultipleCollectionIncludeWarning", failure.Message, StringComparison.Ordinal);
        Assert.Equal(await db.Users.CountAsync(), (await twoCollections.AsSingleQuery().ToListAsync()).Count);
    }
}
