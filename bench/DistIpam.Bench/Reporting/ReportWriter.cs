using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DistIpam.Bench.Reporting;

/// <summary>Prints a report as plain-text tables and writes it as JSON.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Every target of several reports, one line each, under the scenario that measured it.</summary>
    public static string FormatTargets(IEnumerable<ScenarioReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var text = new StringBuilder("\n== targets of every scenario ==\n");
        foreach (var report in reports)
        {
            foreach (var target in report.Targets)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {TargetLine(target, report.Scenario + ": ")}\n");
            }
        }

        return text.ToString();
    }

    private static string TargetLine(TargetResult target, string prefix) => string.Create(
        CultureInfo.InvariantCulture,
        $"[{(target.Met ? "met" : "MISSED")}] {prefix}{target.Name}: {target.Measured:0.000} (target {target.Comparison} {target.Limit})");

    /// <summary>The report as text: settings, each table, the targets and notes.</summary>
    public static string Format(ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var m = report.Machine;
        text.Append(CultureInfo.InvariantCulture, $"== {report.Scenario}{(report.Smoke ? " (smoke: numbers mean nothing)" : "")} ==\n");
        text.Append(CultureInfo.InvariantCulture, $"machine: {m.Processors} CPUs, {m.CpuModel}, {m.MemoryGibibytes} GiB; load {m.LoadAverage} -> {report.LoadAverageAtEnd}; {report.Duration.TotalSeconds:0.0} s\n");
        text.Append("settings: ").AppendJoin(", ", report.Settings.Select(s => $"{s.Key}={s.Value}")).Append('\n');
        foreach (var table in report.Tables)
        {
            text.Append('\n').Append(table.Title).Append('\n');
            AppendTable(text, table);
        }

        if (report.Targets.Count > 0)
        {
            text.Append("\ntargets\n");
            foreach (var target in report.Targets)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {TargetLine(target, "")}\n");
            }
        }

        foreach (var note in report.Notes)
        {
            text.Append("note: ").Append(note).Append('\n');
        }

        foreach (var plot in report.Plots)
        {
            text.Append("plot: ").Append(plot).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes <c>&lt;directory&gt;/&lt;scenario&gt;-&lt;utc stamp&gt;.json</c> and returns its path.</summary>
    public static async Task<string> WriteJsonAsync(ScenarioReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var stamp = report.StartedUtc.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(directory, $"{report.Scenario}{(report.Smoke ? "-smoke" : "")}-{stamp}.json");
        var document = new
        {
            report.Scenario,
            report.Smoke,
            report.StartedUtc,
            DurationSeconds = report.Duration.TotalSeconds,
            report.Machine,
            report.LoadAverageAtEnd,
            report.Settings,
            Tables = report.Tables.Select(t => new { t.Title, Rows = t.RowsAsMaps() }),
            Targets = report.Targets.Select(t => new { t.Name, t.Measured, t.Comparison, t.Limit, t.Met }),
            report.Notes,
            report.Plots,
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, JsonOptions));
        return path;
    }

    /// <summary>A cell as text: numbers with up to two decimals.</summary>
    public static string Cell(object value) => value switch
    {
        double d => d.ToString(Math.Abs(d) >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void AppendTable(StringBuilder text, ReportTable table)
    {
        var cells = table.Rows.Select(r => r.Select(Cell).ToArray()).ToList();
        var widths = table.Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        text.Append("  ").AppendJoin("  ", table.Columns.Select((c, i) => c.PadLeft(widths[i]))).Append('\n');
        foreach (var row in cells)
        {
            text.Append("  ").AppendJoin("  ", row.Select((c, i) => c.PadLeft(widths[i]))).Append('\n');
        }
    }
}
