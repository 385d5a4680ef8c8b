using DistIpam.Bench.Reporting;
using DistIpam.Testing;

namespace DistIpam.Bench;

/// <summary>Where a run writes (results, plots, server logs) and whether it is a smoke run.</summary>
/// <param name="Smoke">A few operations per scenario, to check that it still works.</param>
/// <param name="ResultsDirectory">JSON results (default bench/results).</param>
/// <param name="ImagesDirectory">PNG plots; null writes none (default: docs/images for full runs, results for smoke runs).</param>
/// <param name="Output">Where progress and tables are printed.</param>
public sealed record BenchContext(bool Smoke, string ResultsDirectory, string? ImagesDirectory, TextWriter Output)
{
    /// <summary>The defaults below the repository root.</summary>
    public static BenchContext Create(bool smoke, TextWriter output, string? resultsDirectory = null, string? imagesDirectory = null)
    {
        var results = resultsDirectory ?? Path.Combine(RepositoryLayout.Root, "bench", "results");
        var images = imagesDirectory ?? (smoke ? Path.Combine(results, "images") : Path.Combine(RepositoryLayout.Root, "docs", "images"));
        return new BenchContext(smoke, results, images, output);
    }

    /// <summary>Server logs of embedded servers started by the bench.</summary>
    public string ServerLogDirectory => Path.Combine(ResultsDirectory, "server-logs");

    /// <summary>Prints one progress line with a time stamp.</summary>
    public void Progress(string message) => Output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>The path of a plot, or null when plots are off.</summary>
    public string? PlotPath(string name) => ImagesDirectory is null ? null : Path.Combine(ImagesDirectory, Smoke ? $"smoke-{name}.png" : $"{name}.png");

    /// <summary>Draws a plot; a rendering failure becomes a note, never a failed run.</summary>
    public void TryPlot(ScenarioReport report, string name, Action<string> draw)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(draw);
        var path = PlotPath(name);
        if (path is null)
        {
            return;
        }

        try
        {
            draw(path);
            report.Plots.Add(path);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or IOException or InvalidOperationException)
        {
            report.Notes.Add($"plot {name} not rendered: {e.GetType().Name}: {e.Message}");
        }
    }
}
