using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Bench.Cni;
using DistIpam.Bench.Measuring;
using DistIpam.Bench.Reporting;

namespace DistIpam.Bench.Scenarios;

/// <summary>
/// Fills a dedicated IPv4 pod pool (one node, strict affinity: it claims block after block) to 95%
/// with plugin ADDs, and host-local's equal subnet alongside, ADD by ADD; records ADD latency per
/// 5% band of each plugin's usable addresses.
/// </summary>
public static class FillScenario
{
    private const string Pool = "bench-fill";
    // Enough ADDs for tiered compilation to settle on the server's ADD path (5 left the 0-5% band at
    // 1.5x the next ones, measured); host-local warms its page cache in the same loop.
    private const int WarmUp = 100;

    /// <summary>Runs the scenario and returns the report.</summary>
    public static async Task<ScenarioReport> RunAsync(BenchContext context, FillOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        CniConfigs.EnsureHostLocal();
        var report = new ScenarioReport("fill", context.Smoke);
        var ours = $"10.200.0.0/{options.PoolPrefixLength.ToString(CultureInfo.InvariantCulture)}";
        var theirs = $"10.201.0.0/{options.PoolPrefixLength.ToString(CultureInfo.InvariantCulture)}";
        report.Settings["pool"] = $"{ours} with /{options.BlockPrefixLength.ToString(CultureInfo.InvariantCulture)} blocks, one node";
        report.Settings["host-local"] = theirs;
        report.Settings["fill"] = $"{options.FillPercent.ToString(CultureInfo.InvariantCulture)}% of usable addresses";
        var plugin = await PluginBinary.GetPathAsync(context);
        await using var server = await EmbeddedServer.StartAsync(context, "fill");
        await EmbeddedServer.CreatePoolAsync(new Pools.PoolsClient(server.CreateChannel()), Pool, ours, options.BlockPrefixLength);
        var dataDir = Directory.CreateTempSubdirectory("distipam-bench-fill-").FullName;
        try
        {
            var size = 1L << (32 - options.PoolPrefixLength);
            var blockSize = 1L << (32 - options.BlockPrefixLength);
            var oursUsable = size / blockSize * (blockSize - 2);
            var theirsUsable = size - 3;
            var oursCount = (int)(oursUsable * options.FillPercent / 100);
            var theirsCount = (int)(theirsUsable * options.FillPercent / 100);
            report.Settings["ADDs"] = $"distipam {oursCount.ToString(CultureInfo.InvariantCulture)} of {oursUsable.ToString(CultureInfo.InvariantCulture)}, host-local {theirsCount.ToString(CultureInfo.InvariantCulture)} of {theirsUsable.ToString(CultureInfo.InvariantCulture)}";
            var bands = options.FillPercent / options.BandPercent;
            var oursBands = Enumerable.Range(0, bands).Select(_ => new LatencyRecorder()).ToArray();
            var theirsBands = Enumerable.Range(0, bands).Select(_ => new LatencyRecorder()).ToArray();
            var oursConfig = CniConfigs.Distipam("bench-fill", server.UnixSocketPath, "fill-node", [Pool]);
            var theirsConfig = CniConfigs.HostLocal("bench-fill", Path.Combine(dataDir, "fill"), [theirs]);
            // Warm both paths outside the measured range (server JIT, first activations, page cache), so
            // the 0-5% band measures a warm server like every other band.
            var warmOurs = CniConfigs.Distipam("bench-fill-warm", server.UnixSocketPath, "fill-warm-node", ["pods-v4"]);
            var warmTheirs = CniConfigs.HostLocal("bench-fill-warm", Path.Combine(dataDir, "warm"), ["10.202.0.0/24"]);
            for (var i = 0; i < (context.Smoke ? 2 : WarmUp); i++)
            {
                await AddAsync(plugin, warmOurs, i, new LatencyRecorder());
                await AddAsync(CniConfigs.HostLocalPath, warmTheirs, i, new LatencyRecorder());
            }

            context.Progress($"filling: {oursCount} distipam ADDs and {theirsCount} host-local ADDs, interleaved");
            for (var i = 0; i < Math.Max(oursCount, theirsCount); i++)
            {
                if (i < oursCount)
                {
                    await AddAsync(plugin, oursConfig, i, oursBands[Band(i, oursUsable, options.BandPercent, bands)]);
                }

                if (i < theirsCount)
                {
                    await AddAsync(CniConfigs.HostLocalPath, theirsConfig, i, theirsBands[Band(i, theirsUsable, options.BandPercent, bands)]);
                }

                if (i > 0 && i % 500 == 0)
                {
                    context.Progress($"{i} ADDs each");
                }
            }

            Report(context, report, options, oursBands, theirsBands);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }

        return report;
    }

    /// <summary>The band of the utilization this ADD brings the range to (ADD #1 of 3,968 lands in 0-5%, the last in 90-95%).</summary>
    private static int Band(int index, long usable, int bandPercent, int bands) =>
        (int)Math.Min(bands - 1, (index + 1) * 100L / usable / bandPercent);

    private static async Task AddAsync(string plugin, string config, int index, LatencyRecorder recorder)
    {
        var outcome = (await PluginExec.RunAsync(plugin, "ADD", $"fill-{index.ToString(CultureInfo.InvariantCulture)}", config))
            .EnsureSuccess($"{Path.GetFileName(plugin)} ADD #{index.ToString(CultureInfo.InvariantCulture)}");
        recorder.Record(outcome.Elapsed);
    }

    private static void Report(BenchContext context, ScenarioReport report, FillOptions options, LatencyRecorder[] ours, LatencyRecorder[] theirs)
    {
        var table = report.AddTable("ADD latency per utilization band (ms)", "band", "n", "distipam p50", "distipam p99", "host-local p50", "host-local p99");
        var labels = new List<double>();
        var series = new List<double>[4] { [], [], [], [] };
        for (var b = 0; b < ours.Length; b++)
        {
            var o = ours[b].Summarize();
            var h = theirs[b].Summarize();
            var label = $"{(b * options.BandPercent).ToString(CultureInfo.InvariantCulture)}-{((b + 1) * options.BandPercent).ToString(CultureInfo.InvariantCulture)}%";
            table.Add(label, o.Count, o.P50Ms, o.P99Ms, h.P50Ms, h.P99Ms);
            labels.Add((b + 0.5) * options.BandPercent);
            series[0].Add(o.P50Ms);
            series[1].Add(o.P99Ms);
            series[2].Add(h.P50Ms);
            series[3].Add(h.P99Ms);
        }

        var first = ours[0].Summarize();
        var last = ours[^1].Summarize();
        var firstTheirs = theirs[0].Summarize();
        var lastTheirs = theirs[^1].Summarize();
        var flatness = report.AddTable("last band / first band", "plugin", "p50 ratio", "p99 ratio");
        flatness.Add("distipam", Ratio(last.P50Ms, first.P50Ms), Ratio(last.P99Ms, first.P99Ms));
        flatness.Add("host-local", Ratio(lastTheirs.P50Ms, firstTheirs.P50Ms), Ratio(lastTheirs.P99Ms, firstTheirs.P99Ms));
        report.Targets.Add(new TargetResult("distipam ADD p50 at 90-95% / p50 at 0-5%", Ratio(last.P50Ms, first.P50Ms), "<=", 1.2));
        var xs = labels.ToArray();
        context.TryPlot(report, "fill-latency", path => Plots.Lines(path, "CNI ADD latency vs pool utilization", "utilization (%)", "latency (ms)",
        [
            ("distipam p50", xs, [.. series[0]]),
            ("distipam p99", xs, [.. series[1]]),
            ("host-local p50", xs, [.. series[2]]),
            ("host-local p99", xs, [.. series[3]]),
        ]));
    }

    private static double Ratio(double last, double first) => first <= 0 ? double.NaN : Math.Round(last / first, 3);
}
