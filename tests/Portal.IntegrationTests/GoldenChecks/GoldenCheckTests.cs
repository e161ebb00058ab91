using System.Text;
using Microsoft.ML;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.GoldenChecks;

/// <summary>Golden checks really run models (ONNX Runtime, ML.NET) and prompt templates, on SQLite and PostgreSQL.</summary>
public abstract class GoldenCheckTests(PortalApp app)
{
    [Fact]
    public async Task An_onnx_model_is_evaluated_and_its_figures_match_a_hand_computation_on_the_same_rows()
    {
        var data = GoldenData.Iris(300, seed: 7);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());

        var (run, result) = await s.RunAsync("1.0.0");

        Assert.Equal(JobRunState.Succeeded, run.State);
        Assert.NotNull(result);
        Assert.Equal("onnx", result.Runtime);
        Assert.Equal(300, result.RowCount);
        Assert.Equal(RegistryHash(GoldenData.Onnx()), result.ModelSha256);
        Assert.Equal(RegistryHash(data.Bytes), result.DatasetSha256);
        var metrics = await s.GoldenMetricsAsync(run.Id);
        Assert.All(metrics, m => Assert.Equal(MetricSource.GoldenCheck, m.Source));
        Assert.Equal(data.Accuracy(), metrics.Single(m => m.Name == "accuracy" && m.Slice == "").Value, 6);
        Assert.Equal(data.Accuracy(region: "eu"), metrics.Single(m => m.Name == "accuracy" && m.Slice == "region=eu").Value, 6);
        Assert.Equal(data.Accuracy() >= 0.8, result.Passed);
        Assert.Contains(metrics, m => m.Name == "demographic-parity-difference" && m.Slice == "region");
    }

    [Fact]
    public async Task The_demographic_parity_difference_is_the_spread_of_positive_predictions_between_regions()
    {
        var data = GoldenData.Iris(240, seed: 11);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());

        var (run, _) = await s.RunAsync("1.0.0");

        double Rate(string region)
        {
            var rows = Enumerable.Range(0, data.Rows.Count).Where(i => data.Regions[i] == region).ToList();
            return rows.Count(i => Portal.Testing.OnnxModels.Predict(data.Rows[i], GoldenData.Weights, GoldenData.Bias) == 2) / (double)rows.Count;
        }
        var expected = Math.Abs(Rate("eu") - Rate("us"));
        var parity = (await s.GoldenMetricsAsync(run.Id)).Single(m => m.Name == "demographic-parity-difference");
        Assert.Equal(expected, parity.Value, 6);
    }

    [Fact]
    public async Task The_asset_dossier_lists_each_golden_run_with_its_data_and_model_digests()
    {
        var data = GoldenData.Iris(90, seed: 5);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck(name: "dossier-holdout"));
        var (_, result) = await s.RunAsync("1.0.0", "dossier-holdout");
        var auditor = await Exports.ExportScenario.PersonAsync(app, "portal-auditors");

        var (_, file) = await Exports.ExportScenario.MakeAsync(app, auditor, new Portal.Core.Exports.ExportRequest("dossier", "json", "marketing", s.Asset, null, null));

        using var json = System.Text.Json.JsonDocument.Parse(file.Content);
        var run = Assert.Single(json.RootElement.GetProperty("goldenRuns").EnumerateArray());
        Assert.Equal("dossier-holdout", run.GetProperty("check").GetString());
        Assert.Equal(result!.Passed, run.GetProperty("passed").GetBoolean());
        Assert.Equal(RegistryHash(data.Bytes), run.GetProperty("datasetSha256").GetString());
        Assert.Equal(RegistryHash(GoldenData.Onnx()), run.GetProperty("modelSha256").GetString());
    }

    public sealed class IrisRow
    {
        public float sepal_length { get; set; }
        public float sepal_width { get; set; }
        public float petal_length { get; set; }
        public float petal_width { get; set; }
        public string species { get; set; } = "";
        public string region { get; set; } = "";
    }

    [Fact]
    public async Task An_mlnet_classifier_trained_in_process_is_checked_and_its_accuracy_matches_its_own_predictions()
    {
        var data = GoldenData.Iris(300, seed: 3);
        var ml = new MLContext(seed: 1);
        var training = ml.Data.LoadFromEnumerable(data.Rows.Select((r, i) => new IrisRow
        {
            sepal_length = r[0], sepal_width = r[1], petal_length = r[2], petal_width = r[3], species = data.Labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
            region = data.Regions[i],
        }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "species")
            .Append(ml.Transforms.Concatenate("Features", GoldenData.Features))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(training);
        using var zip = new MemoryStream();
        ml.Model.Save(model, training.Schema, zip);
        var predicted = ml.Data.CreateEnumerable<Prediction>(model.Transform(training), reuseRowObject: false).Select(p => p.PredictedLabel).ToList();
        var expected = predicted.Where((p, i) => p == data.Labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture)).Count() / (double)predicted.Count;

        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("model.zip", zip.ToArray()));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        var (run, result) = await s.RunAsync("1.0.0");

        Assert.Equal(JobRunState.Succeeded, run.State);
        Assert.Equal("mlnet", result!.Runtime);
        Assert.Equal(expected, (await s.GoldenMetricsAsync(run.Id)).Single(m => m.Name == "accuracy" && m.Slice == "").Value, 6);
    }

    public sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
    }

    [Fact]
    public async Task Prompt_template_cases_are_rendered_and_each_failing_case_is_named_with_its_reasons()
    {
        var cases = """
            {"name":"renewal","variables":{"name":"Ann","plan":"Pro"},"contains":["Ann"],"maxChars":80}
            {"name":"no-promises","variables":{"name":"Bo","plan":"Basic"},"notContains":["guarantee"]}
            {"name":"unbound","variables":{"name":"Cy"}}
            """;
        var s = await GoldenScenario.CreateAsync(app, Encoding.UTF8.GetBytes(cases), "cases.jsonl", AssetKind.PromptTemplate);
        await s.RegisterModelAsync("1.0.0", ("prompt.hbs", Encoding.UTF8.GetBytes("Hi {{name}}, we guarantee your {{plan}} plan renews.")));
        await s.DefineAsync(new GoldenCheckInput("holdout", "", "1.0.0", "cases.jsonl", null, null, null, ["pass-rate"], null,
            new Dictionary<string, double> { ["pass-rate"] = 1.0 }, null, null, 30, 256));

        var (run, result) = await s.RunAsync("1.0.0");

        Assert.Equal(JobRunState.Succeeded, run.State);
        Assert.False(result!.Passed);
        Assert.Equal(1 / 3.0, (await s.GoldenMetricsAsync(run.Id)).Single(m => m.Slice == "").Value, 6);
        Assert.Contains(result.Findings, f => f.Slice == "case=no-promises" && f.Explanation.Contains("forbidden \"guarantee\"", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Slice == "case=unbound" && f.Explanation.Contains("not bound: plan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_version_that_becomes_ready_is_checked_by_every_check_of_its_asset()
    {
        var data = GoldenData.Iris(90, seed: 5);
        var s = await GoldenScenario.CreateAsync(app, data.Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());

        await s.RegisterModelAsync("1.1.0", ("iris.onnx", GoldenData.Onnx(GoldenData.WorseBias)));

        var runs = await app.InScopeAsync<JobRunService, Portal.Core.Common.Result<JobRunPage>>(x => x.ListAsync(s.Contributor, "marketing", JobKinds.GoldenCheck, null, 0, 200));
        var run = Assert.Single(runs.Value.Items, r => r.SubjectLabel == $"{s.Asset} 1.1.0 · holdout");
        Assert.Equal("version-ready", run.Trigger);
        var (finished, result) = await s.FinishedAsync(run.Id);
        Assert.Equal(JobRunState.Succeeded, finished.State);
        Assert.Equal(data.Accuracy(GoldenData.WorseBias), (await s.GoldenMetricsAsync(run.Id)).Single(m => m.Name == "accuracy" && m.Slice == "").Value, 6);
        Assert.Equal("1.1.0", result!.Version);
    }

    [Fact]
    public async Task A_model_whose_inputs_are_missing_from_the_golden_data_fails_with_a_reason_naming_them()
    {
        var s = await GoldenScenario.CreateAsync(app, Encoding.UTF8.GetBytes("sepal_length,species,region\n1,0,eu\n"));
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.DefineAsync(GoldenScenario.IrisCheck());

        var (run, result) = await s.RunAsync("1.0.0");

        Assert.Equal(JobRunState.Failed, run.State);
        Assert.Null(result);
        Assert.Contains("sepal_width", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_reads_the_label_column_as_an_input_is_refused_and_never_shown_the_answers()
    {
        var s = await GoldenScenario.CreateAsync(app, GoldenData.Iris(50, seed: 3).Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        // The iris model's input sepal_width named as the check's label: a model that asks for the label could copy it to its answer.
        await s.DefineAsync(GoldenScenario.IrisCheck() with { LabelColumn = "sepal_width" });

        var (run, result) = await s.RunAsync("1.0.0");

        Assert.Equal(JobRunState.Failed, run.State);
        Assert.Null(result);
        Assert.Contains("reads the label column 'sepal_width'", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_repeated_with_its_idempotency_key_answers_the_same_run_and_the_key_sent_for_another_version_is_refused()
    {
        var s = await GoldenScenario.CreateAsync(app, GoldenData.Iris(30, seed: 31).Bytes);
        await s.RegisterModelAsync("1.0.0", ("iris.onnx", GoldenData.Onnx()));
        await s.RegisterModelAsync("1.1.0", ("iris.onnx", GoldenData.Onnx(GoldenData.WorseBias)));
        await s.DefineAsync(GoldenScenario.IrisCheck());
        var key = $"pipeline-{Guid.NewGuid():N}";
        Task<Result<JobRunView>> Start(string version) => app.InScopeAsync<GoldenCheckService, Result<JobRunView>>(x =>
            x.StartAsync(s.Contributor, "marketing", s.Asset, "holdout", version, key));

        var first = await Start("1.0.0");
        var again = await Start("1.0.0");
        var elsewhere = await Start("1.1.0");

        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(first.Value.Id, again.Value.Id);
        Assert.Equal("idempotency.key-reused", elsewhere.Error?.Code);
    }

    private static string RegistryHash(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}

public sealed class GoldenCheckTests_Sqlite(SqlitePortal app) : GoldenCheckTests(app), IClassFixture<SqlitePortal>;

public sealed class GoldenCheckTests_PostgreSql(PostgresPortal app) : GoldenCheckTests(app), IClassFixture<PostgresPortal>;
