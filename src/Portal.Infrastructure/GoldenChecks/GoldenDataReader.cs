using System.Globalization;
using CsvHelper;
using Parquet.Serialization;
using Portal.Core.GoldenChecks;

namespace Portal.Infrastructure.GoldenChecks;

/// <summary>Golden rows from CSV (CsvHelper) or Parquet (Parquet.Net), every cell as invariant text.</summary>
public sealed class GoldenDataReader : IGoldenDataReader
{
    public bool Accepts(string fileName) =>
        fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    public Task<GoldenTable> ReadAsync(Stream content, string fileName, int maxRows, CancellationToken ct) =>
        fileName.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? ReadParquetAsync(content, maxRows, ct) : ReadCsvAsync(content, maxRows, ct);

    private static async Task<GoldenTable> ReadCsvAsync(Stream content, int maxRows, CancellationToken ct)
    {
        await using var csv = CsvReader.Create(content, new CsvReaderOptions { HasHeader = true, FormatProvider = CultureInfo.InvariantCulture }, true);
        try
        {
            await csv.ReadHeaderAsync(ct);
            var header = csv.Headers.ToArray();
            if (header.Length == 0)
                throw new GoldenCheckException("The golden CSV has no header row.");
            var columns = header.Select(_ => new List<string>()).ToArray();
            while (await csv.ReadAsync(ct))
            {
                if (columns[0].Count >= maxRows)
                    throw new GoldenCheckException($"The golden data has more than {maxRows:N0} rows.");
                if (csv.FieldCount != header.Length)
                    throw new GoldenCheckException($"Row {columns[0].Count + 1} of the golden CSV has {csv.FieldCount} cells; the header has {header.Length}.");
                for (var i = 0; i < header.Length; i++)
                    columns[i].Add(csv.GetString(i));
            }
            return new GoldenTable(header, columns.Select(c => c.ToArray()).ToList());
        }
        catch (CsvFormatException ex)
        {
            throw new GoldenCheckException($"The golden CSV is malformed: {ex.Message}");
        }
    }

    private static async Task<GoldenTable> ReadParquetAsync(Stream content, int maxRows, CancellationToken ct)
    {
        var (schema, rows, _) = await ParquetSerializer.DeserializeUntypedAsync(content, cancellationToken: ct);
        if (rows.Count > maxRows)
            throw new GoldenCheckException($"The golden data has more than {maxRows:N0} rows.");
        var names = schema.GetDataFields().Select(f => f.Name).ToList();
        var columns = names.Select(name => rows.Select(row => row.TryGetValue(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "").ToArray()).ToList();
        return new GoldenTable(names, columns);
    }
}
