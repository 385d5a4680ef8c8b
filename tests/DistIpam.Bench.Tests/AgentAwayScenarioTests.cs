using DistIpam.Bench.Scenarios;
using Xunit.Abstractions;

namespace DistIpam.Bench.Tests;

public class AgentAwayScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_Smoke_ServesTheReserveThenCode11ThenConfirmsAll()
    {
        var report = await SmokeRun.RunAsync(output, c => AgentAwayScenario.RunAsync(c, 2));

        var served = report.Targets.Single();
        Assert.True(served.Met, $"{served.Name}: {served.Measured}");
        Assert.Equal(2, served.Measured);
        var lag = report.Tables.Single(t => t.Title.StartsWith("server back", StringComparison.Ordinal)).Rows;
        Assert.Equal(2, lag.Count);
    }
}
