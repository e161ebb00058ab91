using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Core.GoldenChecks;

namespace Portal.Infrastructure.GoldenChecks;

/// <summary>
/// The golden rows as an ML.NET data view with the model's own input schema: text columns as text,
/// numeric ones parsed, booleans from true/false. Columns the model reads but the golden data lacks are
/// refused with their names. A pipeline trained with its label may still ask for the label column (a key mapping of it): it gets
/// the column with no values (NaN, false, empty text), never the answers.
/// </summary>
internal sealed class GoldenDataView : IDataView
{
    private readonly GoldenTable _table;
    private readonly string? _label;

    public GoldenDataView(GoldenTable table, DataViewSchema input, string? label)
    {
        (_table, _label) = (table, label);
        var builder = new DataViewSchema.Builder();
        foreach (var column in input)
        {
            if (!table.Has(column.Name))
                throw new GoldenCheckException($"The ML.NET model reads a column '{column.Name}' the golden data does not have.");
            if (column.Type is not (TextDataViewType or BooleanDataViewType) && column.Type != NumberDataViewType.Single)
                throw new GoldenCheckException($"The model's input '{column.Name}' is of type {column.Type}; golden checks feed text, booleans and single-precision numbers.");
            builder.AddColumn(column.Name, column.Type);
        }
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => _table.RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(GoldenDataView view, IEnumerable<DataViewSchema.Column> needed) : DataViewRowCursor
    {
        private readonly HashSet<int> _active = needed.Select(c => c.Index).ToHashSet();
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext() => ++_position < view._table.RowCount;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Name == view._label)
                return Withheld<TValue>(column);
            var cells = view._table.Column(column.Name);
            Delegate getter = column.Type switch
            {
                TextDataViewType => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = cells[_position].AsMemory()),
                BooleanDataViewType => (ValueGetter<bool>)((ref bool v) => v = bool.TryParse(cells[_position], out var b) ? b : cells[_position] == "1"),
                _ => (ValueGetter<float>)((ref float v) => v = MlNetModelRunner.Single(cells[_position], column.Name, _position)),
            };
            return (ValueGetter<TValue>)getter;
        }

        private static ValueGetter<TValue> Withheld<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Type switch
            {
                TextDataViewType => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = ReadOnlyMemory<char>.Empty),
                BooleanDataViewType => (ValueGetter<bool>)((ref bool v) => v = false),
                _ => (ValueGetter<float>)((ref float v) => v = float.NaN),
            };
            return (ValueGetter<TValue>)getter;
        }
    }
}
