using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Web.Hosting;

/// <summary>
/// The embedded default's archiving story: an old pilot snapshot of the churn data that nothing uses any
/// more, which the Marketing team's dry run proposes to archive (the rule in force is the built-in default).
/// </summary>
internal sealed class DemoArchiving(VersionService versions, ArtifactService artifacts, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const string Asset = "customer-churn-data";
    public const string Version = "0.9.0";

    private static readonly CallerAccess Seeder = new(
        new Actor(ActorKind.System, "demo-seed", "demo-seed"), new HashSet<GlobalRole>(),
        new Dictionary<string, TeamAccess> { ["marketing"] = new(Guid.Empty, "marketing", "Marketing", TeamRole.TeamAdmin) });

    public async Task SeedAsync(CancellationToken ct)
    {
        Ensure(await versions.CreateAsync(Seeder, "marketing", Asset, new VersionInput(Version, "December pilot snapshot, superseded by 1.0.0"), null, ct));
        var csv = new StringBuilder("customer_id,region,tenure_months,churned\n");
        for (var i = 0; i < 40; i++)
            csv.Append(CultureInfo.InvariantCulture, $"P{i:000},{(i % 2 == 0 ? "eu" : "us")},{i % 36 + 1},{(i % 5 == 0 ? 1 : 0)}\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        Ensure(await artifacts.UploadAsync(Seeder, "marketing", Asset, Version, "customers.csv", new MemoryStream(bytes), null, bytes.Length, ct));
        Ensure(await versions.FinalizeAsync(Seeder, "marketing", Asset, Version, ct));
        // The demo's history: the pilot was registered long ago. Only its dates are set back; everything else went through the services.
        var registered = clock.GetUtcNow().AddDays(-400);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Versions.Where(v => v.Version == Version && db.Assets.Any(a => a.Id == v.AssetId && a.Name == Asset))
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.CreatedAt, registered).SetProperty(v => v.FinalizedAt, registered.AddHours(1)), ct);
    }

    private static void Ensure<T>(Result<T> result)
    {
        if (!result.IsSuccess)
            throw new InvalidOperationException($"Demo archiving: {result.Error!.Code}: {result.Error.Message}");
    }
}
