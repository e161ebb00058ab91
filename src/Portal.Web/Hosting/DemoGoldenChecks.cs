using System.Globalization;
using System.Text;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.GoldenChecks;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Web.Hosting;

/// <summary>
/// The embedded default's golden checks: the churn classifier (ONNX) against a held-out churn sample, and the Iris
/// classifier (ML.NET) against the iris dataset. Their first runs are queued here and run once the job server is up,
/// so the demo shows real results, one of them failing (the undertrained iris-classifier 1.0.0).
/// </summary>
internal sealed class DemoGoldenChecks(AssetService assets, VersionService versions, ArtifactService artifacts, GoldenCheckService checks)
{
    public const string ChurnCheck = "holdout";
    public const string IrisCheck = "reference";

    private static readonly CallerAccess Seeder = new(
        new Actor(ActorKind.System, "demo-seed", "demo-seed"), new HashSet<GlobalRole>(),
        new Dictionary<string, TeamAccess> { ["marketing"] = new(Guid.Empty, "marketing", "Marketing", TeamRole.TeamAdmin) });

    /// <summary>A demo model embedded in this assembly (see Hosting/DemoModels/README.md).</summary>
    public static byte[] Model(string name)
    {
        using var stream = typeof(DemoGoldenChecks).Assembly.GetManifestResourceStream("DemoModels." + name)
            ?? throw new InvalidOperationException($"Demo model {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public async Task SeedAsync(bool runs, CancellationToken ct)
    {
        Ensure(await assets.CreateAsync(Seeder, "marketing", new AssetInput("churn-holdout", AssetKind.Dataset,
            "Held-out customers never used in training: the churn classifier's golden set.", "Maya Contreras", ["tabular", "churn", "golden"]), null, ct));
        Ensure(await versions.CreateAsync(Seeder, "marketing", "churn-holdout", new VersionInput("1.0.0", "400 customers from the March snapshot", RowCount: 400), null, ct));
        var golden = ChurnGoldenCsv(400);
        Ensure(await artifacts.UploadAsync(Seeder, "marketing", "churn-holdout", "1.0.0", "golden.csv", new MemoryStream(golden), null, golden.Length, ct));
        Ensure(await versions.FinalizeAsync(Seeder, "marketing", "churn-holdout", "1.0.0", ct));

        Ensure(await checks.SaveAsync(Seeder, "marketing", "churn-classifier", new GoldenCheckInput(ChurnCheck, "churn-holdout", "1.0.0", "golden.csv", "churned", null,
            ["region", "sex"], ["accuracy", "auc", "recall", "demographic-parity-difference"], "1",
            new Dictionary<string, double> { ["accuracy"] = 0.75, ["demographic-parity-difference"] = 0.15 }, 0.02, "0 6 * * *", 120, 512), null, ct));
        Ensure(await checks.SaveAsync(Seeder, "marketing", "iris-classifier", new GoldenCheckInput(IrisCheck, "iris", "1.0.0", "iris.csv", "species", null,
            [], ["accuracy", "macro-f1"], null, new Dictionary<string, double> { ["accuracy"] = 0.9 }, null, null, 120, 512), null, ct));

        if (!runs)
            return;
        foreach (var version in new[] { "1.0.0", "1.1.0" })
            Ensure(await checks.StartAsync(Seeder, "marketing", "churn-classifier", ChurnCheck, version, null, ct));
        foreach (var version in new[] { "1.0.0", "2.0.0", "2.1.0" })
            Ensure(await checks.StartAsync(Seeder, "marketing", "iris-classifier", IrisCheck, version, null, ct));
    }

    /// <summary>Customers whose churn follows the pattern the models learned (short tenure, high spend), with noise.</summary>
    private static byte[] ChurnGoldenCsv(int rows)
    {
        var random = new Random(2026);
        var csv = new StringBuilder("customer_id,region,sex,tenure_months,monthly_spend,churned\n");
        for (var i = 0; i < rows; i++)
        {
            var tenure = random.Next(1, 72);
            var spend = Math.Round(10 + random.NextDouble() * 190, 2);
            var churn = random.NextDouble() < 1 / (1 + Math.Exp(-(-0.12 * tenure + 0.012 * spend - 0.5)));
            csv.Append(CultureInfo.InvariantCulture, $"H{i:0000},{(random.Next(2) == 0 ? "eu" : "us")},{(random.Next(2) == 0 ? "female" : "male")},{tenure},{spend},{(churn ? 1 : 0)}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static void Ensure<T>(Result<T> result)
    {
        if (!result.IsSuccess)
            throw new InvalidOperationException($"Demo golden checks: {result.Error!.Code}: {result.Error.Message} {string.Join("; ", result.Error.Fields?.Select(f => f.Key + ": " + f.Value[0]) ?? [])}");
    }
}
