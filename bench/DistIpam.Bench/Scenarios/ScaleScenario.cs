using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Bench.Measuring;
using DistIpam.Bench.Reporting;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Bench.Scenarios;

/// <summary>
/// Many dual-stack allocations over gRPC across many simulated nodes in the embedded server: time to
/// fill, server RSS and store size at the end, then kill -9 and the time from relaunch to the first
/// successful Allocate (and to /readyz).
/// </summary>
public static class ScaleScenario
{
    private static readonly string[] ScalePools = ["scale-v4", "scale-v6"];

    /// <summary>Runs the scenario and returns the report.</summary>
    public static async Task<ScenarioReport> RunAsync(BenchContext context, ScaleOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var report = new ScenarioReport("scale", context.Smoke);
        report.Settings["allocations"] = options.Allocations.ToString(CultureInfo.InvariantCulture);
        report.Settings["nodes"] = options.Nodes.ToString(CultureInfo.InvariantCulture);
        report.Settings["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture);
        report.Settings["budget"] = $"{options.Budget.TotalMinutes:0} min";
        report.Settings["pools"] = "10.0.0.0/12 /26 blocks; fd00:5ca1::/48 /122 blocks";
        await using var server = await EmbeddedServer.StartAsync(context, "scale");
        var rssStart = ProcessMemory.ResidentMebibytes(server.ProcessId);
        var channel = server.CreateChannel();
        var pools = new Pools.PoolsClient(channel);
        await EmbeddedServer.CreatePoolAsync(pools, ScalePools[0], "10.0.0.0/12", 26);
        await EmbeddedServer.CreatePoolAsync(pools, ScalePools[1], "fd00:5ca1::/48", 122);
        var ipam = new Ipam.IpamClient(channel);

        var latency = new LatencyRecorder();
        var fill = await FillAsync(context, options, ipam, latency);
        var rssEnd = ProcessMemory.ResidentMebibytes(server.ProcessId);
        var store = ProcessMemory.DirectoryMebibytes(server.DataDir);
        var usage = await pools.GetUsageAsync(new GetUsageRequest { Pool = ScalePools[0] });
        var allocated = usage.Pools.Where(p => p.Pool == ScalePools[0]).Sum(p => p.Allocated);

        context.Progress("kill -9 and cold restart");
        var (toReady, toFirstAdd) = await ColdRestartAsync(server);
        var rssRestart = ProcessMemory.ResidentMebibytes(server.ProcessId);

        var l = latency.Summarize();
        var table = report.AddTable("scale", "measure", "value");
        table.Add("allocations done", fill.Done);
        table.Add("allocations failed", fill.Failed);
        table.Add("IPv4 addresses allocated (GetUsage)", allocated);
        table.Add("time to fill (s)", fill.Elapsed.TotalSeconds);
        table.Add("allocations/s", fill.Done / fill.Elapsed.TotalSeconds);
        table.Add("Allocate p50 (ms)", l.P50Ms);
        table.Add("Allocate p99 (ms)", l.P99Ms);
        table.Add("Allocate max (ms)", l.MaxMs);
        table.Add("server RSS at start (MiB)", rssStart);
        table.Add("server RSS at end (MiB)", rssEnd);
        table.Add("data directory (MiB)", store);
        table.Add("kill -9 -> /readyz (s)", toReady.TotalSeconds);
        table.Add("kill -9 -> first successful Allocate (s)", toFirstAdd.TotalSeconds);
        table.Add("server RSS after restart + 1 Allocate (MiB)", rssRestart);
        if (fill.Done < options.Allocations)
        {
            report.Notes.Add($"stopped after {fill.Done} of {options.Allocations} allocations: the {options.Budget.TotalMinutes:0} min budget ran out");
        }

        if (fill.FirstError is not null)
        {
            report.Notes.Add($"first error: {fill.FirstError}");
        }

        if (allocated != fill.Done)
        {
            report.Notes.Add($"GetUsage reports {allocated} IPv4 addresses allocated, the client counted {fill.Done}");
        }

        report.Targets.Add(new TargetResult("failed allocations", fill.Failed, "<=", 0));
        if (fill.Progress.Count > 1)
        {
            context.TryPlot(report, "scale-rate", path => Plots.Lines(path, "scale: allocations/s over the fill", "allocations done", "allocations/s", [("embedded server", [.. fill.Progress.Select(p => (double)p.Done)], [.. fill.Progress.Select(p => p.Rate)])]));
        }

        return report;
    }

    private static async Task<ScaleFill> FillAsync(BenchContext context, ScaleOptions options, Ipam.IpamClient ipam, LatencyRecorder latency)
    {
        long next = -1, done = 0, failed = 0;
        string? firstError = null;
        var progress = new List<(long Done, double Rate)>();
        var step = Math.Clamp(options.Allocations / 20, 1, 500);
        var clock = Stopwatch.StartNew();
        var lastMark = (Done: 0L, Seconds: 0.0);
        context.Progress($"allocating {options.Allocations} dual-stack handles on {options.Nodes} nodes, {options.Concurrency} in flight");
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < options.Allocations && clock.Elapsed < options.Budget; i = Interlocked.Increment(ref next))
            {
                var node = $"scale-node-{(i % options.Nodes).ToString(CultureInfo.InvariantCulture)}";
                var request = new AllocateRequest
                {
                    Handle = new Handle { Network = "bench-scale", ContainerId = $"s{i.ToString(CultureInfo.InvariantCulture)}", Interface = "eth0" },
                    Node = node,
                    Pools = { ScalePools },
                };
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await ipam.AllocateAsync(request, deadline: DateTime.UtcNow.AddSeconds(60));
                    latency.RecordSince(start);
                }
                catch (RpcException e)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, e.Status.Detail, null);
                    continue;
                }

                var count = Interlocked.Increment(ref done);
                if (count % step == 0)
                {
                    lock (progress)
                    {
                        var seconds = clock.Elapsed.TotalSeconds;
                        progress.Add((count, (count - lastMark.Done) / (seconds - lastMark.Seconds)));
                        lastMark = (count, seconds);
                    }

                    context.Progress($"{count} allocations, {count / clock.Elapsed.TotalSeconds:0}/s");
                }
            }
        })));
        return new ScaleFill(done, failed, clock.Elapsed, firstError, progress);
    }

    private static async Task<(TimeSpan ToReady, TimeSpan ToFirstAdd)> ColdRestartAsync(ServerProcess server)
    {
        server.Kill();
        var clock = Stopwatch.StartNew();
        await server.RestartAsync([], waitUntilReady: false);
        var ready = Task.Run(async () =>
        {
            await server.WaitUntilReadyAsync();
            return clock.Elapsed;
        });
        var ipam = new Ipam.IpamClient(server.CreateChannel());
        var request = new AllocateRequest
        {
            Handle = new Handle { Network = "bench-scale", ContainerId = "after-restart", Interface = "eth0" },
            Node = "scale-node-0",
            Pools = { ScalePools },
        };
        while (true)
        {
            try
            {
                await ipam.AllocateAsync(request, deadline: DateTime.UtcNow.AddSeconds(5));
                var toFirstAdd = clock.Elapsed;
                return (await ready, toFirstAdd);
            }
            catch (RpcException) when (clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(20);
            }
        }
    }
}
