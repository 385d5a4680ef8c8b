using DistIpam.Bench.Scenarios;
using Xunit.Abstractions;

namespace DistIpam.Bench.Tests;

public class ThroughputScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_Smoke_AllocatesWithoutFailures()
    {
        var report = await SmokeRun.RunAsync(output, c => ThroughputScenario.RunAsync(c, ThroughputOptions.For(smoke: true, nodes: null, seconds: null)));

        SmokeRun.AssertMet(report, "failed calls");
        Assert.Contains(report.Targets, t => t.Name.StartsWith("allocations/s", StringComparison.Ordinal) && t.Measured > 0);
    }
}
