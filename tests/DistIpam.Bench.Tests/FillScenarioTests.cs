using DistIpam.Bench.Scenarios;
using Xunit.Abstractions;

namespace DistIpam.Bench.Tests;

public class FillScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_Smoke_FillsEveryBand()
    {
        var options = FillOptions.For(smoke: true, poolPrefixLength: null);

        var report = await SmokeRun.RunAsync(output, c => FillScenario.RunAsync(c, options));

        Assert.Equal(options.FillPercent / options.BandPercent, report.Tables[0].Rows.Count);
        Assert.Single(report.Targets);
    }
}
