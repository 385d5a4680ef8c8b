using DistIpam.Bench.Scenarios;
using Xunit.Abstractions;

namespace DistIpam.Bench.Tests;

public class ScaleScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_Smoke_FillsAndRestarts()
    {
        var report = await SmokeRun.RunAsync(output, c => ScaleScenario.RunAsync(c, ScaleOptions.For(smoke: true, allocations: null, nodes: null)));

        SmokeRun.AssertMet(report, "failed allocations");
        Assert.DoesNotContain(report.Notes, n => n.StartsWith("GetUsage", StringComparison.Ordinal));
    }
}
