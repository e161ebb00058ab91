using System.Globalization;
using System.Text;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Lineage;
using Portal.Core.ModelCards;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Web.Hosting;

/// <summary>
/// The embedded default's demo registry, written through the same services a pipeline uses, so every
/// item has its audit events and content-addressed files.
/// </summary>
internal sealed class DemoRegistry(AssetService assets, VersionService versions, ArtifactService artifacts, MetricService metrics, ModelCardService cards)
{
    private static readonly CallerAccess Seeder = new(
        new Actor(ActorKind.System, "demo-seed", "demo-seed"),
        new HashSet<GlobalRole>(),
        new Dictionary<string, TeamAccess>
        {
            ["marketing"] = new(Guid.Empty, "marketing", "Marketing", TeamRole.TeamAdmin),
            ["finance"] = new(Guid.Empty, "finance", "Finance", TeamRole.TeamAdmin),
        });

    public async Task SeedAsync(CancellationToken ct)
    {
        await Asset("marketing", "customer-churn-data", AssetKind.Dataset, "Monthly customer snapshot with churn labels (90-day horizon).", ["tabular", "churn"], ct);
        await Version("marketing", "customer-churn-data", "1.0.0", "January snapshot", [], ("customers.csv", ChurnCsv(200, 1)), [], ct);
        await Version("marketing", "customer-churn-data", "1.1.0", "Adds February; deduplicated accounts", [], ("customers.csv", ChurnCsv(260, 2)), [], ct);

        await Asset("marketing", "churn-classifier", AssetKind.Model, "Gradient-boosted classifier ranking customers by churn risk.", ["tabular", "churn", "xgboost", "customer-facing"], ct);
        await Version("marketing", "churn-classifier", "1.0.0", "Baseline", [new(LineageKind.TrainedOn, "marketing", "customer-churn-data", "1.0.0")],
            ("model/churn.onnx", DemoGoldenChecks.Model("churn-1.0.0.onnx")), Metrics(0.861, 0.902), ct, new() { ["max_depth"] = "5", ["n_estimators"] = "200", ["learning_rate"] = "0.1" });
        await Version("marketing", "churn-classifier", "1.1.0", "Retrained on February data", [new(LineageKind.TrainedOn, "marketing", "customer-churn-data", "1.1.0")],
            ("model/churn.onnx", DemoGoldenChecks.Model("churn-1.1.0.onnx")), Metrics(0.884, 0.921), ct, new() { ["max_depth"] = "6", ["n_estimators"] = "300", ["learning_rate"] = "0.08" });
        Ensure(await cards.SaveAsync(Seeder, "marketing", "churn-classifier", "1.1.0", new Dictionary<string, string>
        {
            ["intendedUse"] = "Rank active customers by the probability that they cancel within 90 days, to prioritise retention offers.",
            ["intendedUsers"] = "CRM analysts and the retention campaign team.",
            ["outOfScopeUses"] = "Credit decisions, pricing, or any decision about an individual without human review.",
            ["trainingData"] = "customer-churn-data 1.1.0 (January and February snapshots, deduplicated).",
            ["metricsBySlice"] = "| slice | accuracy |\n|---|---|\n| overall | 0.884 |\n| region=eu | 0.879 |\n| region=us | 0.889 |",
            ["limitations"] = "Customers with less than three months of history are poorly ranked.",
        }, null, ct));
        await Version("marketing", "churn-classifier", "1.2.0-rc.1", "Candidate with tenure features", [], null, [], ct, finalize: false);

        await Asset("marketing", "iris", AssetKind.Dataset, "Fisher's Iris measurements (150 flowers, 3 species).", ["tabular", "reference"], ct);
        await Version("marketing", "iris", "1.0.0", "UCI copy", [], ("iris.csv", IrisCsv()), [], ct, rowCount: 150, schema: new()
        {
            ["sepal_length"] = "float64", ["sepal_width"] = "float64", ["petal_length"] = "float64", ["petal_width"] = "float64", ["species"] = "category",
        });
        await Asset("marketing", "iris-classifier", AssetKind.Model, "Decision tree classifying iris species; the team's reference model.", ["tabular", "sklearn"], ct);
        await Version("marketing", "iris-classifier", "1.0.0", "Depth-3 tree", [new(LineageKind.TrainedOn, "marketing", "iris", "1.0.0")],
            ("model/iris.zip", DemoGoldenChecks.Model("iris-1.0.0.zip")), Metrics(0.947, 0.96, "species"), ct, new() { ["max_depth"] = "3", ["criterion"] = "gini" });
        await Version("marketing", "iris-classifier", "2.0.0", "Random forest", [new(LineageKind.TrainedOn, "marketing", "iris", "1.0.0"), new(LineageKind.DerivedFrom, "marketing", "iris-classifier", "1.0.0")],
            ("model/iris.zip", DemoGoldenChecks.Model("iris-2.0.0.zip")), Metrics(0.967, 0.98, "species"), ct, new() { ["n_estimators"] = "100", ["max_depth"] = "4" });
        await Version("marketing", "iris-classifier", "2.1.0", "Random forest, more trees", [new(LineageKind.TrainedOn, "marketing", "iris", "1.0.0"), new(LineageKind.DerivedFrom, "marketing", "iris-classifier", "2.0.0")],
            ("model/iris.zip", DemoGoldenChecks.Model("iris-2.1.0.zip")), Metrics(0.973, 0.985, "species"), ct, new() { ["n_estimators"] = "300", ["max_depth"] = "4" });

        await Asset("marketing", "retention-email", AssetKind.PromptTemplate, "Drafts a personal retention e-mail for an at-risk customer.", ["genai", "email"], ct);
        string[] prompts =
        [
            "Write a short e-mail to {{customer_name}} thanking them for being a customer.\n",
            "Write a short, friendly e-mail to {{customer_name}} thanking them for {{tenure_months}} months with us.\nOffer: {{offer}}\n",
            "You are the retention assistant of {{brand}}.\nWrite a short, friendly e-mail to {{customer_name}} thanking them for {{tenure_months}} months with us.\nOffer: {{offer}}\nDo not promise anything beyond the offer.\n",
        ];
        string[][] variables = [["customer_name"], ["customer_name", "tenure_months", "offer"], ["brand", "customer_name", "tenure_months", "offer"]];
        for (var i = 0; i < prompts.Length; i++)
        {
            await Version("marketing", "retention-email", $"1.{i}.0", i == 0 ? "First draft" : i == 1 ? "Adds tenure and offer" : "System role and guardrail",
                [], ("prompt.hbs", Encoding.UTF8.GetBytes(prompts[i])), [], ct, promptVariables: variables[i]);
        }

        Ensure(await assets.SetSharingAsync(Seeder, "marketing", "iris", "finance", true, ct));
        await Asset("finance", "credit-risk-scorer", AssetKind.Model, "Probability of default for small-business loans.", ["tabular", "risk"], ct);
        await Version("finance", "credit-risk-scorer", "3.2.0", "Quarterly refresh", [], ("model/pd.onnx", Bytes("pd-3.2.0", 30_000)), Metrics(0.812, 0.874), ct,
            new() { ["algorithm"] = "logistic-regression", ["regularization"] = "l2" });
    }

    private async Task Asset(string team, string name, AssetKind kind, string description, string[] tags, CancellationToken ct) =>
        Ensure(await assets.CreateAsync(Seeder, team, new AssetInput(name, kind, description, team == "marketing" ? "Maya Contreras" : "Farah Haddad", tags), null, ct));

    // Demo data that fails to seed is a bug in this file: stop start-up loudly rather than show half a demo.
    private static void Ensure<T>(Result<T> result)
    {
        if (!result.IsSuccess)
            throw new InvalidOperationException($"Demo data: {result.Error!.Code}: {result.Error.Message}");
    }

    private async Task Version(string team, string asset, string version, string description, UpstreamReference[] lineage, (string Path, byte[] Content)? file,
        MetricInput[] values, CancellationToken ct, Dictionary<string, string>? parameters = null, bool finalize = true, string[]? promptVariables = null,
        long? rowCount = null, Dictionary<string, string>? schema = null)
    {
        Ensure(await versions.CreateAsync(Seeder, team, asset,
            new VersionInput(version, description, null, parameters, lineage, PromptVariables: promptVariables, RowCount: rowCount, Schema: schema), null, ct));
        if (file is { } f)
            Ensure(await artifacts.UploadAsync(Seeder, team, asset, version, f.Path, new MemoryStream(f.Content), null, f.Content.Length, ct));
        if (values.Length > 0)
            Ensure(await metrics.LogAsync(Seeder, team, asset, version, values, ct));
        if (finalize)
            Ensure(await versions.FinalizeAsync(Seeder, team, asset, version, ct));
    }

    private static MetricInput[] Metrics(double accuracy, double auc, string sliceKind = "region")
    {
        string[] slices = sliceKind == "species" ? ["species=setosa", "species=versicolor", "species=virginica"] : ["region=eu", "region=us", "sex=female", "sex=male"];
        var list = new List<MetricInput> { new("accuracy", accuracy), new("auc", auc) };
        list.AddRange(slices.Select((s, i) => new MetricInput("accuracy", Math.Round(accuracy + (i % 2 == 0 ? -0.006 : 0.005) * (i + 1) / 2, 3), s)));
        list.AddRange(Enumerable.Range(1, 5).Select(step => new MetricInput("loss", Math.Round(0.9 / step, 3), Step: step * 10, Source: MetricSource.Training)));
        return [.. list];
    }

    private static byte[] Bytes(string seed, int size)
    {
        var random = new Random(seed.GetHashCode(StringComparison.Ordinal));
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] ChurnCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("customer_id,region,sex,tenure_months,monthly_spend,churned\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"C{seed}{i:0000},{(random.Next(2) == 0 ? "eu" : "us")},{(random.Next(2) == 0 ? "female" : "male")},")
               .Append(CultureInfo.InvariantCulture, $"{random.Next(1, 72)},{random.Next(10, 200)}.{random.Next(0, 99):00},{(random.NextDouble() < 0.2 ? 1 : 0)}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static byte[] IrisCsv()
    {
        var random = new Random(1936);
        var csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n");
        (string Species, double Sl, double Sw, double Pl, double Pw)[] centers = [("setosa", 5.0, 3.4, 1.5, 0.2), ("versicolor", 5.9, 2.8, 4.3, 1.3), ("virginica", 6.6, 3.0, 5.6, 2.0)];
        foreach (var c in centers)
        {
            for (var i = 0; i < 50; i++)
            {
                double J(double v) => Math.Round(v + (random.NextDouble() - 0.5) * 0.6, 1);
                csv.Append(CultureInfo.InvariantCulture, $"{J(c.Sl)},{J(c.Sw)},{J(c.Pl)},{Math.Max(0.1, J(c.Pw))},{c.Species}\n");
            }
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
