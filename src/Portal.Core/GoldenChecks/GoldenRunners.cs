namespace Portal.Core.GoldenChecks;

/// <summary>Golden rows read column by column, every cell as text (numbers parsed where a model needs them).</summary>
public sealed class GoldenTable(IReadOnlyList<string> columns, IReadOnlyList<string[]> values)
{
    public IReadOnlyList<string> Columns { get; } = columns;
    public int RowCount { get; } = values.Count == 0 ? 0 : values[0].Length;

    public bool Has(string column) => Columns.Contains(column, StringComparer.Ordinal);

    public string[] Column(string name)
    {
        var index = Columns.ToList().IndexOf(name);
        return index < 0 ? throw new GoldenCheckException($"The golden data has no column '{name}' (it has {string.Join(", ", Columns)}).") : values[index];
    }

    /// <summary>
    /// The same rows with the answers blanked: what a model is given. A model that read its label (an input named after the label
    /// column, a pipeline copying it to its prediction) would score perfectly on data it never predicted.
    /// </summary>
    public GoldenTable WithLabelBlanked(string? label)
    {
        if (label is null || !Has(label))
            return this;
        var index = Columns.ToList().IndexOf(label);
        var blank = new string[RowCount];
        Array.Fill(blank, "");
        return new GoldenTable(Columns, values.Select((column, i) => i == index ? blank : column).ToList());
    }

    /// <summary>Refuses a model input or feature column that is the label: a check never shows a model the answers it is scored on.</summary>
    public static void RefuseLabel(string? label, string column)
    {
        if (label is not null && string.Equals(label, column, StringComparison.Ordinal))
            throw new GoldenCheckException($"The model reads the label column '{label}' as an input: a golden check never shows a model the answers it is scored on.");
    }
}

/// <summary>A run that cannot finish for a reason the user can act on; its message is shown on the Jobs page as it is.</summary>
public sealed class GoldenCheckException(string message) : Exception(message);

/// <summary>Reads golden rows from CSV or Parquet with well-kept readers.</summary>
public interface IGoldenDataReader
{
    bool Accepts(string fileName);
    Task<GoldenTable> ReadAsync(Stream content, string fileName, int maxRows, CancellationToken ct);
}

/// <summary>The model's answers and the time spent inside its runtime.</summary>
public sealed record ModelAnswer(Predictions Predictions, TimeSpan RuntimeTime);

/// <summary>Runs a model format in process. Formats without a runner are left to an external runner, never deserialized here.</summary>
public interface IGoldenModelRunner
{
    /// <summary><c>onnx</c>, <c>mlnet</c>.</summary>
    string Runtime { get; }
    bool Accepts(string fileName);
    Task<ModelAnswer> PredictAsync(byte[] model, GoldenTable table, GoldenCheck check, GoldenTask task, CancellationToken ct);
}

/// <summary>Hears each step of a run; tests use it to stop a run at any step and prove that a re-run repairs everything.</summary>
public interface IGoldenRunObserver
{
    void Reached(string step, Guid runId);
}
