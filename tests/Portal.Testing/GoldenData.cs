using System.Globalization;
using System.Text;

namespace Portal.Testing;

/// <summary>Iris-style golden rows (three classes, four measurements, a region) and a linear ONNX classifier for them.</summary>
public sealed record GoldenData(string Csv, IReadOnlyList<float[]> Rows, IReadOnlyList<int> Labels, IReadOnlyList<string> Regions)
{
    public static readonly string[] Features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    // Petal length alone separates the classes: class 0 below about 2.9, class 2 above 5.
    public static readonly float[] Weights = [0, 0, 0, 0, 0, 0, -3, 0, 3, 0, 0, 0];
    public static readonly float[] Bias = [9, 0, -15];

    /// <summary>A model that no longer separates class 2 well (its bound moved up): a worse candidate.</summary>
    public static readonly float[] WorseBias = [9, 0, -16.5f];

    public static byte[] Onnx(float[]? bias = null) => OnnxModels.LinearClassifier(Features, Weights, bias ?? Bias);

    public byte[] Bytes => Encoding.UTF8.GetBytes(Csv);

    public static GoldenData Iris(int rows, int seed)
    {
        var random = new Random(seed);
        float[][] means = [[5.0f, 3.4f, 1.5f, 0.2f], [5.9f, 2.8f, 4.3f, 1.3f], [6.6f, 3.0f, 5.6f, 2.0f]];
        var csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species,region\n");
        var data = new List<float[]>();
        var labels = new List<int>();
        var regions = new List<string>();
        for (var i = 0; i < rows; i++)
        {
            var label = i % 3;
            var row = means[label].Select(m => MathF.Round(m + (float)(random.NextDouble() - 0.5) * 1.2f, 2)).ToArray();
            var region = random.NextDouble() < 0.5 ? "eu" : "us";
            data.Add(row);
            labels.Add(label);
            regions.Add(region);
            csv.Append(string.Join(',', row.Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append(',').Append(label).Append(',').Append(region).Append('\n');
        }
        return new GoldenData(csv.ToString(), data, labels, regions);
    }

    /// <summary>The accuracy of the linear model on these rows, counted by hand, overall or for one region.</summary>
    public double Accuracy(float[]? bias = null, string? region = null)
    {
        var rows = Enumerable.Range(0, Rows.Count).Where(i => region is null || Regions[i] == region).ToList();
        return rows.Count(i => OnnxModels.Predict(Rows[i], Weights, bias ?? Bias) == Labels[i]) / (double)rows.Count;
    }
}
