using DistIpam.Bench.Scenarios;
using Xunit.Abstractions;

namespace DistIpam.Bench.Tests;

public class FailoverScenarioTests(ITestOutputHelper output)
{
    /// <summary>
    /// Skipped in CI, visibly: starting Redis and three silos one after another takes 1-4 minutes on
    /// a loaded 2-core machine, more than the whole smoke budget (~90 s). The kill -9 under load path
    /// is covered by tests/DistIpam.Cluster.Tests; run this one with `distipam-bench failover --smoke`.
    /// </summary>
    [Fact(Skip = "Too slow for the smoke budget (3 silos + Redis start: 1-4 min); run `distipam-bench failover --smoke` (docs/benchmarks.md).")]
    public async Task RunAsync_Smoke_SurvivesKillWithoutClientFailures()
    {
        var report = await SmokeRun.RunAsync(output, c => FailoverScenario.RunAsync(c, FailoverOptions.For(smoke: true)));

        Assert.Contains(report.Tables[1].Rows, r => (string)r[0] == "allocations attempted" && Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
        SmokeRun.AssertMet(report, "failed allocations at the client");
    }
}
