using System.Diagnostics;
using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using DistIpam.Bench.Cni;
using DistIpam.Bench.Measuring;
using DistIpam.Bench.Reporting;
using DistIpam.Testing;

namespace DistIpam.Bench.Scenarios;

/// <summary>
/// Where the time of one ADD goes, measured in the same run (1 caller, interleaved): fork/exec of
/// /bin/true, VERSION of each plugin (process start-up without I/O), and a dual-stack Allocate plus
/// Release from this process over the same Unix socket (the server's share, without start-up).
/// </summary>
public static class CniBreakdown
{
    /// <summary>Runs <paramref name="iterations"/> rounds and adds a table to <paramref name="report"/>.</summary>
    /// <param name="report">The report.</param>
    /// <param name="server">The embedded server.</param>
    /// <param name="plugin">The AOT plugin.</param>
    /// <param name="oursConfig">The plugin's configuration.</param>
    /// <param name="hostLocalConfig">host-local's configuration.</param>
    /// <param name="iterations">Rounds.</param>
    /// <param name="agentSocket">A dual-stack agent's socket, timed with a raw frame client (no process start).</param>
    /// <param name="agentNode">That agent's node name.</param>
    public static async Task RunAsync(ScenarioReport report, ServerProcess server, string plugin, string oursConfig, string hostLocalConfig, int iterations, string agentSocket, string agentNode)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(server);
        var rows = new (string Name, LatencyRecorder Recorder)[]
        {
            ("fork/exec /bin/true", new()),
            ("distipam VERSION", new()),
            ("host-local VERSION", new()),
            ("gRPC Allocate dual-stack (in-process client, Unix socket)", new()),
            ("gRPC Release (in-process client, Unix socket)", new()),
            ("agent ADD from the reserve (frame round trip, journal fsync included)", new()),
            ("agent DEL (frame round trip, journaled)", new()),
        };
        var ipam = new Ipam.IpamClient(server.CreateUnixSocketChannel());
        for (var i = -2; i < iterations; i++)
        {
            var record = i >= 0;
            Keep(record, rows[0].Recorder, (await PluginExec.RunAsync("/bin/true", "VERSION", "x", "{}")).Elapsed);
            Keep(record, rows[1].Recorder, (await PluginExec.RunAsync(plugin, "VERSION", "x", oursConfig)).EnsureSuccess("distipam VERSION").Elapsed);
            Keep(record, rows[2].Recorder, (await PluginExec.RunAsync(CniConfigs.HostLocalPath, "VERSION", "x", hostLocalConfig)).EnsureSuccess("host-local VERSION").Elapsed);
            var handle = new Handle { Network = "bench-breakdown", ContainerId = $"b{i}", Interface = "eth0" };
            var start = Stopwatch.GetTimestamp();
            await ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = "bench-node" }, deadline: DateTime.UtcNow.AddSeconds(30));
            Keep(record, rows[3].Recorder, Stopwatch.GetElapsedTime(start));
            start = Stopwatch.GetTimestamp();
            await ipam.ReleaseAsync(new ReleaseRequest { Handle = handle, Node = "bench-node" }, deadline: DateTime.UtcNow.AddSeconds(30));
            Keep(record, rows[4].Recorder, Stopwatch.GetElapsedTime(start));
            var podHandle = new Handle { Network = "bench-breakdown-agent", ContainerId = $"b{i}", Interface = "eth0" };
            Keep(record, rows[5].Recorder, await AgentFrameClient.TimeAsync(agentSocket, AgentMessageKind.Allocate, new AllocateRequest { Handle = podHandle, Node = agentNode }));
            Keep(record, rows[6].Recorder, await AgentFrameClient.TimeAsync(agentSocket, AgentMessageKind.Release, new ReleaseRequest { Handle = podHandle, Node = agentNode }));
        }

        var table = report.AddTable("where an ADD's time goes (1 caller, same run, ms)", "step", "n", "p50", "p90", "p99");
        foreach (var (name, recorder) in rows)
        {
            var s = recorder.Summarize();
            table.Add(name, s.Count, s.P50Ms, s.P90Ms, s.P99Ms);
        }
    }

    private static void Keep(bool record, LatencyRecorder recorder, TimeSpan elapsed)
    {
        if (record)
        {
            recorder.Record(elapsed);
        }
    }
}
