using Spectre.Console;

namespace DistIpam.Ctl.Output;

/// <summary>Plain tables: no markup is interpreted in cells (names may contain brackets).</summary>
public static class Tables
{
    /// <summary>A table with these column headers.</summary>
    public static Table Create(params string[] columns)
    {
        var table = new Table { Border = TableBorder.Simple };
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)) { NoWrap = true });
        }

        return table;
    }

    /// <summary>Adds a row of plain text cells.</summary>
    public static Table Row(this Table table, params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.AddRow([.. cells.Select(c => new Text(string.IsNullOrEmpty(c) ? "-" : c))]);
        return table;
    }

    /// <summary>A two-column field/value table for one object.</summary>
    public static Table Fields(params (string Field, string? Value)[] fields)
    {
        var table = new Table { Border = TableBorder.None, ShowHeaders = false };
        table.AddColumn(new TableColumn("") { NoWrap = true });
        table.AddColumn("");
        foreach (var (field, value) in fields)
        {
            table.Row(field + ":", value);
        }

        return table;
    }
}
