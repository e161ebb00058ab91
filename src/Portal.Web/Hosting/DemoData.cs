using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Web.Hosting;

/// <summary>The embedded default's demo workspaces, created once on an empty database (Portal:SeedDemoData).</summary>
public static class DemoData
{
    public static readonly (string Slug, string Name, string Description)[] Teams =
    [
        ("marketing", "Marketing", "Customer analytics: churn, propensity and campaign-copy models."),
        ("finance", "Finance", "Forecasting, fraud and credit-risk models under model-risk governance."),
        ("risk", "Model Risk", "Independent validation: signs off credit models before they reach Production."),
    ];

    public static async Task SeedAsync(IServiceProvider services, bool goldenRuns, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        // Closed before the services below run: each opens a connection of its own.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Teams.AnyAsync(ct))
                return;
            var actor = Actor.System("demo-seed");
            var now = clock.GetUtcNow();
            foreach (var (slug, name, description) in Teams)
            {
                var team = new Team { Slug = slug, Name = name, Description = description, CreatedAt = now };
                db.Teams.Add(team);
                db.Record(actor, now, "team.created", "team", slug, team.Id, after: new { team.Slug, team.Name, team.Description });
            }
            await db.SaveChangesAsync(ct);
        }
        await ActivatorUtilities.CreateInstance<DemoRegistry>(scope.ServiceProvider).SeedAsync(ct);
        await ActivatorUtilities.CreateInstance<DemoLifecycle>(scope.ServiceProvider).SeedAsync(ct);
        await ActivatorUtilities.CreateInstance<DemoArchiving>(scope.ServiceProvider).SeedAsync(ct);
        await ActivatorUtilities.CreateInstance<DemoGoldenChecks>(scope.ServiceProvider).SeedAsync(goldenRuns, ct);
    }
}
