using DistIpam.Bench;
using DistIpam.Bench.Reporting;
using Xunit.Abstractions;

namespace DistIpam.Bench.Tests;

/// <summary>Runs a scenario in-process in smoke mode, writing into a temporary folder, and checks its report.</summary>
public static class SmokeRun
{
    /// <summary>Runs <paramref name="scenario"/>; returns its report after checking the JSON file and the tables.</summary>
    public static async Task<ScenarioReport> RunAsync(ITestOutputHelper output, Func<BenchContext, Task<ScenarioReport>> scenario)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folder = Directory.CreateTempSubdirectory("distipam-bench-smoke-").FullName;
        try
        {
            using var writer = new StringWriter();
            var context = BenchContext.Create(smoke: true, writer, Path.Combine(folder, "results"), Path.Combine(folder, "images"));
            ScenarioReport report;
            try
            {
                report = await ScenarioRunner.RunAsync(context, scenario);
            }
            finally
            {
                output.WriteLine(writer.ToString());
            }

            var json = Directory.GetFiles(context.ResultsDirectory, "*.json");
            Assert.True(json.Length == 1, $"expected one JSON result in {context.ResultsDirectory}, saw {json.Length}");
            Assert.True(report.Tables.Count > 0 && report.Tables.All(t => t.Rows.Count > 0), "expected every table of the report to have rows");
            return report;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Asserts that the named target (a failure count) was met.</summary>
    public static void AssertMet(ScenarioReport report, string targetPrefix)
    {
        ArgumentNullException.ThrowIfNull(report);
        var target = report.Targets.SingleOrDefault(t => t.Name.StartsWith(targetPrefix, StringComparison.Ordinal));
        Assert.True(target is not null, $"expected a target named '{targetPrefix}...', saw: {string.Join("; ", report.Targets.Select(t => t.Name))}");
        Assert.True(target.Met, $"expected {target.Name} {target.Comparison} {target.Limit}, measured {target.Measured}; notes: {string.Join("; ", report.Notes)}");
    }
}
