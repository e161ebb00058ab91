using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Data;

/// <summary>The hot paths' compiled queries run against every model in the process, each compiled once per model.</summary>
public sealed class CompiledQueryTests(SqlitePortal sqlite, PostgresPortal postgres) : IClassFixture<SqlitePortal>, IClassFixture<PostgresPortal>
{
    private static readonly PerModel<Func<PortalDbContext, string, CancellationToken, Task<Guid>>> TeamId = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, string slug, CancellationToken ct) => db.Teams.Where(t => t.Slug == slug).Select(t => t.Id).Single()));

    [Fact]
    public async Task One_compiled_query_answers_on_SQLite_and_PostgreSQL_in_one_process()
    {
        // A bare compiled query binds to the first model it meets and refuses the second: back and forth proves each has its own.
        foreach (var app in new PortalApp[] { sqlite, postgres, sqlite, postgres })
        {
            await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var expected = await db.Teams.Where(t => t.Slug == "marketing").Select(t => t.Id).SingleAsync();

            Assert.Equal(expected, await TeamId.For(db)(db, "marketing", CancellationToken.None));
        }
    }

    [Fact]
    public async Task Contexts_of_one_model_share_one_compiled_query()
    {
        var factory = sqlite.Service<IDbContextFactory<PortalDbContext>>();
        await using var first = await factory.CreateDbContextAsync();
        await using var second = await factory.AnotherCallersContextAsync();
        await using var other = await postgres.Service<IDbContextFactory<PortalDbContext>>().AnotherCallersContextAsync();

        Assert.Same(TeamId.For(first), TeamId.For(second));
        Assert.NotSame(TeamId.For(first), TeamId.For(other));
    }
}
