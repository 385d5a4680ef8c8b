using System.Diagnostics;
using DistIpam.Bench.Reporting;

namespace DistIpam.Bench;

/// <summary>Runs one scenario: times it, prints its tables and writes its JSON file.</summary>
public static class ScenarioRunner
{
    /// <summary>Runs <paramref name="scenario"/> and returns its report (already printed and written).</summary>
    public static async Task<ScenarioReport> RunAsync(BenchContext context, Func<BenchContext, Task<ScenarioReport>> scenario)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(scenario);
        var clock = Stopwatch.StartNew();
        var report = await scenario(context);
        report.Duration = clock.Elapsed;
        report.LoadAverageAtEnd = MachineInfo.LoadAverageNow();
        var json = await ReportWriter.WriteJsonAsync(report, context.ResultsDirectory);
        await context.Output.WriteAsync(ReportWriter.Format(report));
        await context.Output.WriteLineAsync($"json: {json}");
        return report;
    }
}
