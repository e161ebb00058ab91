using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Core.GoldenChecks;

namespace Portal.Infrastructure.GoldenChecks;

/// <summary>
/// Runs an ML.NET model zip in process. The model's own input schema says which golden columns it reads
/// and as what type; the rows reach it through ML.NET's text loader, so no type is compiled for them.
/// Classes come from <c>PredictedLabel</c> (key values mapped back to the label text), the positive score
/// from <c>Probability</c> (binary) and numbers from <c>Score</c> (regression).
/// </summary>
public sealed class MlNetModelRunner : IGoldenModelRunner
{
    public string Runtime => "mlnet";

    public bool Accepts(string fileName) => fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    public Task<ModelAnswer> PredictAsync(byte[] model, GoldenTable table, GoldenCheck check, GoldenTask task, CancellationToken ct) =>
        Task.Run(() => Predict(model, table, check.LabelColumn, task, ct), ct);

    private static ModelAnswer Predict(byte[] model, GoldenTable table, string? label, GoldenTask task, CancellationToken ct)
    {
        var ml = new MLContext(seed: 0);
        ITransformer transformer;
        DataViewSchema input;
        try
        {
            transformer = ml.Model.Load(new MemoryStream(model), out input);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or InvalidDataException or ArgumentException)
        {
            throw new GoldenCheckException($"ML.NET cannot load the model: {ex.Message}");
        }
        var watch = Stopwatch.StartNew();
        var scored = transformer.Transform(new GoldenDataView(table, input, label));
        if (task == GoldenTask.Regression)
        {
            var values = Read<float>(scored, "Score", table.RowCount, ct).Select(v => (double)v).ToList();
            return new ModelAnswer(new Predictions(null, null, values), watch.Elapsed);
        }
        var predicted = scored.Schema.GetColumnOrNull("PredictedLabel")
            ?? throw new GoldenCheckException("The ML.NET model has no PredictedLabel output; is it a classifier?");
        IReadOnlyList<string> classes;
        if (predicted.Type is KeyDataViewType)
        {
            var keyValues = default(VBuffer<ReadOnlyMemory<char>>);
            predicted.GetKeyValues(ref keyValues);
            var names = keyValues.DenseValues().Select(v => v.ToString()).ToArray();
            classes = Read<uint>(scored, predicted.Name, table.RowCount, ct).Select(k => k == 0 ? "" : names[k - 1]).ToList();
        }
        else if (predicted.Type is BooleanDataViewType)
            classes = Read<bool>(scored, predicted.Name, table.RowCount, ct).Select(b => b ? "true" : "false").ToList();
        else
            classes = Read<ReadOnlyMemory<char>>(scored, predicted.Name, table.RowCount, ct).Select(t => t.ToString()).ToList();
        var scores = scored.Schema.GetColumnOrNull("Probability") is { Type: NumberDataViewType } probability
            ? Read<float>(scored, probability.Name, table.RowCount, ct).Select(v => (double)v).ToList()
            : null;
        return new ModelAnswer(new Predictions(classes, scores, null), watch.Elapsed);
    }

    private static List<T> Read<T>(IDataView view, string column, int rows, CancellationToken ct)
    {
        var values = new List<T>(rows);
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<T>(view.Schema[column]);
        T value = default!;
        while (cursor.MoveNext())
        {
            if (values.Count % 4096 == 0)
                ct.ThrowIfCancellationRequested();
            getter(ref value);
            values.Add(value);
        }
        return values;
    }

    internal static float Single(string text, string column, long row) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new GoldenCheckException($"Row {row + 1} of column '{column}' is not a number: '{text}'.");
}
