using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Portal.Core.GoldenChecks;

namespace Portal.Infrastructure.GoldenChecks;

/// <summary>
/// Runs an ONNX model with ONNX Runtime in batches. Inputs are matched to golden columns by name (each an
/// [N] or [N,1] tensor), or, when the check lists feature columns and the model has one input, those
/// columns fill its [N,k] tensor in order. Classes come from an integer or string output (or the arg-max
/// of a score matrix); the positive class's score from a float [N,k] output, the class index being k.
/// </summary>
public sealed class OnnxModelRunner : IGoldenModelRunner
{
    private const int BatchRows = 8192;

    public string Runtime => "onnx";

    public bool Accepts(string fileName) => fileName.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public Task<ModelAnswer> PredictAsync(byte[] model, GoldenTable table, GoldenCheck check, GoldenTask task, CancellationToken ct) =>
        Task.Run(() => Predict(model, table, check, task, ct), ct);

    private static ModelAnswer Predict(byte[] model, GoldenTable table, GoldenCheck check, GoldenTask task, CancellationToken ct)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        InferenceSession session;
        try
        {
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new GoldenCheckException($"ONNX Runtime cannot load the model: {ex.Message}");
        }
        using (session)
        {
            var inputs = Inputs(session, table, check);
            var classes = new List<string>(table.RowCount);
            var scores = new List<double>(table.RowCount);
            var values = new List<double>(table.RowCount);
            var inRuntime = new Stopwatch();
            using var runOptions = new RunOptions();
            using var stop = ct.Register(() => runOptions.Terminate = true);
            for (var start = 0; start < table.RowCount; start += BatchRows)
            {
                ct.ThrowIfCancellationRequested();
                var rows = Math.Min(BatchRows, table.RowCount - start);
                var feeds = inputs.Select(i => i.Tensor(start, rows)).ToList();
                try
                {
                    inRuntime.Start();
                    using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToList(), feeds, session.OutputNames);
                    inRuntime.Stop();
                    Collect(results, session.OutputNames, rows, task, check.PositiveClass, classes, scores, values);
                }
                catch (OnnxRuntimeException ex)
                {
                    ct.ThrowIfCancellationRequested();
                    throw new GoldenCheckException($"ONNX Runtime failed on rows {start + 1}–{start + rows}: {ex.Message}");
                }
                finally
                {
                    foreach (var feed in feeds)
                        feed.Dispose();
                }
            }
            var predictions = task == GoldenTask.Regression
                ? new Predictions(null, null, values)
                : new Predictions(classes, scores.Count == classes.Count ? scores : null, null);
            return new ModelAnswer(predictions, inRuntime.Elapsed);
        }
    }

    private sealed record Input(string Name, Func<int, int, OrtValue> Tensor);

    private static List<Input> Inputs(InferenceSession session, GoldenTable table, GoldenCheck check)
    {
        var metadata = session.InputMetadata;
        if (check.FeatureColumns.Count > 0 && metadata.Count == 1)
        {
            foreach (var feature in check.FeatureColumns)
                GoldenTable.RefuseLabel(check.LabelColumn, feature);
            var (name, meta) = metadata.Single();
            var columns = check.FeatureColumns.Select(c => Numbers(table, c)).ToList();
            return [new Input(name, (start, rows) => FloatTensor(meta, rows, columns.Count, (r, c) => columns[c][start + r]))];
        }
        return metadata.Select(m =>
        {
            GoldenTable.RefuseLabel(check.LabelColumn, m.Key);
            if (!table.Has(m.Key))
                throw new GoldenCheckException($"The model's input '{m.Key}' has no golden column of that name; name the columns after the inputs or list feature columns.");
            if (m.Value.ElementDataType == TensorElementType.String)
            {
                var text = table.Column(m.Key);
                return new Input(m.Key, (start, rows) => OrtValue.CreateFromStringTensor(
                    new DenseTensor<string>(text.AsMemory(start, rows), Shape(m.Value, rows, 1).Select(d => (int)d).ToArray())));
            }
            var numbers = Numbers(table, m.Key);
            return new Input(m.Key, (start, rows) => FloatTensor(m.Value, rows, 1, (r, _) => numbers[start + r]));
        }).ToList();
    }

    private static OrtValue FloatTensor(NodeMetadata meta, int rows, int width, Func<int, int, double> cell)
    {
        var shape = Shape(meta, rows, width);
        switch (meta.ElementDataType)
        {
            case TensorElementType.Float:
                var floats = new float[rows * width];
                for (var r = 0; r < rows; r++)
                    for (var c = 0; c < width; c++)
                        floats[r * width + c] = (float)cell(r, c);
                return OrtValue.CreateTensorValueFromMemory(floats, shape);
            case TensorElementType.Double:
                var doubles = new double[rows * width];
                for (var r = 0; r < rows; r++)
                    for (var c = 0; c < width; c++)
                        doubles[r * width + c] = cell(r, c);
                return OrtValue.CreateTensorValueFromMemory(doubles, shape);
            case TensorElementType.Int64:
                var longs = new long[rows * width];
                for (var r = 0; r < rows; r++)
                    for (var c = 0; c < width; c++)
                        longs[r * width + c] = (long)cell(r, c);
                return OrtValue.CreateTensorValueFromMemory(longs, shape);
            default:
                throw new GoldenCheckException($"Model inputs of type {meta.ElementDataType} are not supported; use float, double, int64 or string.");
        }
    }

    /// <summary>[N] for a rank-1 input, [N,width] otherwise (the batch dimension first, as exporters write it).</summary>
    private static long[] Shape(NodeMetadata meta, int rows, int width) => meta.Dimensions.Length == 1 ? [rows] : [rows, width];

    private static double[] Numbers(GoldenTable table, string column) => table.Column(column).Select((text, row) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new GoldenCheckException($"Row {row + 1} of column '{column}' is not a number: '{text}'.")).ToArray();

    private static void Collect(IReadOnlyCollection<OrtValue> results, IReadOnlyList<string> names, int rows, GoldenTask task, string? positive,
        List<string> classes, List<double> scores, List<double> values)
    {
        var outputs = results.Zip(names).Where(o => o.First.OnnxType == OnnxValueType.ONNX_TYPE_TENSOR).ToList();
        if (task == GoldenTask.Regression)
        {
            var first = outputs.FirstOrDefault(o => o.First.GetTensorTypeAndShape().ElementDataType is TensorElementType.Float or TensorElementType.Double).First
                ?? throw new GoldenCheckException("The model has no numeric output to compare with the labels.");
            values.AddRange(AsDoubles(first).Take(rows));
            return;
        }
        var labels = outputs.FirstOrDefault(o => o.First.GetTensorTypeAndShape().ElementDataType is TensorElementType.Int64 or TensorElementType.Int32 or TensorElementType.String).First;
        var matrix = outputs.FirstOrDefault(o => o.First.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float
            && o.First.GetTensorTypeAndShape().Shape is { Length: 2 } s && s[1] >= 2).First;
        if (labels is null && matrix is null)
            throw new GoldenCheckException("The model has no class output (integer or string) and no score matrix.");
        var width = matrix is null ? 0 : (int)matrix.GetTensorTypeAndShape().Shape[1];
        var probabilities = matrix?.GetTensorDataAsSpan<float>().ToArray();
        for (var r = 0; r < rows; r++)
        {
            if (labels is not null)
                classes.Add(labels.GetTensorTypeAndShape().ElementDataType == TensorElementType.String
                    ? labels.GetStringElement(r)
                    : labels.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64
                        ? labels.GetTensorDataAsSpan<long>()[r].ToString(CultureInfo.InvariantCulture)
                        : labels.GetTensorDataAsSpan<int>()[r].ToString(CultureInfo.InvariantCulture));
            else
                classes.Add(ArgMax(probabilities!, r, width).ToString(CultureInfo.InvariantCulture));
            if (probabilities is not null && int.TryParse(positive, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < width)
                scores.Add(probabilities[r * width + index]);
        }
    }

    private static int ArgMax(float[] values, int row, int width)
    {
        var best = 0;
        for (var c = 1; c < width; c++)
            if (values[row * width + c] > values[row * width + best])
                best = c;
        return best;
    }

    private static IEnumerable<double> AsDoubles(OrtValue value) => value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float
        ? value.GetTensorDataAsSpan<float>().ToArray().Select(f => (double)f)
        : value.GetTensorDataAsSpan<double>().ToArray();
}
