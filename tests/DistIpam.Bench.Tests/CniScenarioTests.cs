using DistIpam.Bench.Scenarios;
using Xunit.Abstractions;

namespace DistIpam.Bench.Tests;

public class CniScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_Smoke_MeasuresDirectAgentAndHostLocalInEveryCase()
    {
        var report = await SmokeRun.RunAsync(output, c => CniScenario.RunAsync(c, CniOptions.Smoke));

        var rows = report.Tables.Single(t => t.Title.StartsWith("latency per exec", StringComparison.Ordinal)).Rows;
        // Families x callers x verbs x (distipam, distipam via agent, host-local).
        Assert.Equal(2 * 2 * 2 * 3, rows.Count);
        Assert.All(rows, r => Assert.Equal(CniOptions.Smoke.Operations, Convert.ToInt32(r[3], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(7, report.Targets.Count);
        Assert.Contains(report.Tables, t => t.Title.StartsWith("ratio agent / host-local", StringComparison.Ordinal) && t.Rows.Count == 8);
        Assert.Contains(report.Tables, t => t.Title.StartsWith("where an ADD's time goes", StringComparison.Ordinal) && t.Rows.Count == 7);
        // The stage clock: seven stages and the total, each with every ADD counted.
        var stages = report.Tables.Single(t => t.Title.StartsWith("where an agent ADD's time goes", StringComparison.Ordinal)).Rows;
        Assert.Equal(8, stages.Count);
        Assert.All(stages, r => Assert.Equal(CniOptions.Smoke.Operations, Convert.ToInt32(r[1], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
