namespace DistIpam.Bench.Reporting;

/// <summary>A table of a report: column names and rows of values (numbers or text).</summary>
public sealed class ReportTable(string title, params string[] columns)
{
    private readonly List<object[]> _rows = [];

    /// <summary>What the table shows.</summary>
    public string Title { get; } = title;

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>The rows, each with one value per column.</summary>
    public IReadOnlyList<object[]> Rows => _rows;

    /// <summary>Adds a row; it must have one value per column.</summary>
    public void Add(params object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"table '{Title}' has {Columns.Count} columns, the row has {values.Length} values", nameof(values));
        }

        _rows.Add(values);
    }

    /// <summary>The rows as column-name → value maps (for JSON).</summary>
    public IReadOnlyList<Dictionary<string, object>> RowsAsMaps() =>
        [.. _rows.Select(r => Columns.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
}
