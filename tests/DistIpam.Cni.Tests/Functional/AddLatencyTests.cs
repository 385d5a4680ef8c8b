using System.Globalization;
using System.Text.Json;
using DistIpam.Cni.Tests.Fixtures;
using Xunit.Abstractions;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>
/// Measures (does not judge) the wall time of one ADD as a runtime sees it: fork/exec of the AOT
/// binary to its exit, against the embedded server over the Unix socket. In the same run it times
/// two baselines, so the numbers can be read on any machine: <c>/bin/true</c> (the cost of any
/// fork/exec here) and <c>distipam</c> VERSION (process start-up without a server call). Prints
/// the medians and writes cni-add-latency.json next to the test binaries. Runs alone.
/// </summary>
[Collection(RunsAlone.Name)]
public class AddLatencyTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int Runs = 100;

    [Fact]
    public async Task Add_HundredExecs_AllDistinctAndMedianReported()
    {
        var config = CniConfig.Distipam("1.0.0", "latnet", [fixture.UnixEndpoint], "node-latency");
        // Warm the server's path for this node (first block claims) so the numbers are steady state.
        await fixture.Plugin.AddAsync(config, TestIds.New("warm"));

        var serverBefore = await ServerAllocateTotalsAsync();
        var add = new List<double>(Runs);
        var version = new List<double>(Runs);
        var baseline = new List<double>(Runs);
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Runs; i++)
        {
            var outcome = (await fixture.Plugin.RunAsync("ADD", config, TestIds.New("lat"))).AssertSuccess();
            add.Add(outcome.Elapsed.TotalMilliseconds);
            foreach (var address in PluginRunner.Addresses(outcome.Json()))
            {
                Assert.True(addresses.Add(address), $"address {address} handed out twice");
            }

            version.Add((await fixture.Plugin.RunAsync("VERSION", config: null)).AssertSuccess().Elapsed.TotalMilliseconds);
            baseline.Add((await ProcessRunner.RunAsync("/bin/true", [], new Dictionary<string, string?>(), null, PluginRunner.ProcessTimeout)).AssertSuccess().Elapsed.TotalMilliseconds);
        }

        var serverAfter = await ServerAllocateTotalsAsync();
        var report = new Dictionary<string, double>
        {
            ["server_allocate_mean_ms"] = 1000 * (serverAfter.Seconds - serverBefore.Seconds) / Math.Max(1, serverAfter.Count - serverBefore.Count),
            ["add_median_ms"] = Median(add),
            ["add_p90_ms"] = Percentile(add, 0.9),
            ["add_min_ms"] = add.Min(),
            ["version_median_ms"] = Median(version),
            ["bin_true_median_ms"] = Median(baseline),
            ["add_over_bin_true"] = Median(add) / Median(baseline),
            ["runs"] = Runs,
        };
        var text = string.Join(", ", report.Select(kv => $"{kv.Key}={kv.Value.ToString("0.00", CultureInfo.InvariantCulture)}"));
        output.WriteLine($"distipam ADD wall time over {Runs} execs: {text}");
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "cni-add-latency.json"), JsonSerializer.Serialize(report));
        Assert.Equal(2 * Runs, addresses.Count);
        Assert.True(serverAfter.Count - serverBefore.Count >= Runs, $"the server's Allocate histogram counted {serverAfter.Count - serverBefore.Count} calls, expected at least {Runs}");
    }

    // The server's own Allocate histogram (Prometheus text): the share of an ADD spent inside the server.
    private async Task<(double Seconds, double Count)> ServerAllocateTotalsAsync()
    {
        var text = await fixture.Server.CreateHttpClient().GetStringAsync(new Uri("/metrics", UriKind.Relative));
        double seconds = 0, count = 0;
        foreach (var line in text.Split('\n'))
        {
            var value = line.Length > 0 && line[0] != '#' ? line[(line.LastIndexOf(' ') + 1)..] : null;
            if (line.StartsWith("distipam_allocate_duration_seconds_sum", StringComparison.Ordinal))
            {
                seconds += double.Parse(value!, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("distipam_allocate_duration_seconds_count", StringComparison.Ordinal))
            {
                count += double.Parse(value!, CultureInfo.InvariantCulture);
            }
        }

        return (seconds, count);
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
