namespace DistIpam.Bench.Reporting;

/// <summary>PNG plots with ScottPlot (rendered with SkiaSharp, headless).</summary>
public static class Plots
{
    private const int Width = 900;
    private const int Height = 540;

    /// <summary>
    /// Latency CDFs: for each series its sorted samples (ms) on the x axis against the cumulative
    /// percentage. The x axis stops at the largest p99.5 so one outlier does not flatten the curves.
    /// </summary>
    public static void Cdf(string path, string title, IReadOnlyList<(string Name, IReadOnlyList<double> SortedMs)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new ScottPlot.Plot();
        var right = 0.0;
        foreach (var (name, sorted) in series.Where(s => s.SortedMs.Count > 0))
        {
            var step = Math.Max(1, sorted.Count / 2000);
            var xs = new List<double>();
            var ys = new List<double>();
            for (var i = 0; i < sorted.Count; i += step)
            {
                xs.Add(sorted[i]);
                ys.Add(100.0 * (i + 1) / sorted.Count);
            }

            xs.Add(sorted[^1]);
            ys.Add(100);
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
            line.LegendText = name;
            line.LineWidth = 2;
            right = Math.Max(right, sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.995))]);
        }

        plot.Title(title);
        plot.XLabel("latency (ms)");
        plot.YLabel("cumulative %");
        plot.Axes.SetLimits(0, right * 1.05, 0, 100);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        Save(plot, path);
    }

    /// <summary>Lines through (x, y) points, one per series.</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Name, double[] Xs, double[] Ys)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new ScottPlot.Plot();
        foreach (var (name, xs, ys) in series)
        {
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top * 1.1);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        Save(plot, path);
    }

    /// <summary>Each call's latency at its completion time, with a vertical line at <paramref name="eventAt"/>.</summary>
    public static void Timeline(string path, string title, double[] seconds, double[] latencyMs, double eventAt)
    {
        var plot = new ScottPlot.Plot();
        var points = plot.Add.ScatterPoints(seconds, latencyMs);
        points.LegendText = "successful Allocate";
        points.MarkerSize = 3;
        var line = plot.Add.VerticalLine(eventAt);
        line.LegendText = "kill -9";
        plot.Title(title);
        plot.XLabel("time (s)");
        plot.YLabel("latency (ms)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        Save(plot, path);
    }

    private static void Save(ScottPlot.Plot plot, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, Width, Height);
    }
}
