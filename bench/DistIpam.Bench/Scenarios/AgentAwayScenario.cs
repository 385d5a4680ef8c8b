using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Bench.Cni;
using DistIpam.Bench.Measuring;
using DistIpam.Bench.Reporting;
using Grpc.Core;

namespace DistIpam.Bench.Scenarios;

/// <summary>
/// The control plane away (docs/agent.md, What happens when): an agent with a full dual-stack reserve,
/// the server stopped, then plugin ADDs (fresh pods, one caller) until one gets CNI code 11. Reports
/// how many were served and how fast, how long the refusal took (it first tries the servers for
/// <see cref="ServerTimeout"/>), and after the server is back how long until it knows every handle
/// the agent gave out (the confirmation lag, from the moment the restarted server is ready).
/// </summary>
public static class AgentAwayScenario
{
    private const string Node = "bench-away";
    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>Runs the scenario with a reserve of <paramref name="reserve"/> per family.</summary>
    public static async Task<ScenarioReport> RunAsync(BenchContext context, int reserve)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = new ScenarioReport("agent-away", context.Smoke);
        report.Settings["reserve"] = $"{reserve} per family, dual-stack";
        report.Settings["agent ServerTimeout"] = $"{ServerTimeout.TotalSeconds:0} s";
        var plugin = await PluginBinary.GetPathAsync(context);
        await using var server = await EmbeddedServer.StartAsync(context, "agent-away");
        await using var agent = await AgentDaemon.StartAsync(server.UnixSocketPath, Node, reserve, [], ("ServerTimeout", ServerTimeout.ToString("c", CultureInfo.InvariantCulture)));
        await WaitAsync(async () => await AgentScrape.SumAsync(agent.MetricsUrl, "distipam_agent_reserve_free_slots") >= 2 * reserve, "the reserve to fill");
        var config = CniConfigs.DistipamViaAgent("bench-away", agent.SocketPath, Node, null);

        context.Progress("server stopped: ADDs through the agent until code 11");
        await server.StopAsync();
        var served = new LatencyRecorder();
        var given = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        ExecOutcome refusal;
        while (true)
        {
            var id = $"away-{given.Count}";
            var outcome = await PluginExec.RunAsync(plugin, "ADD", id, config);
            if (outcome.ExitCode != 0)
            {
                refusal = outcome;
                break;
            }

            served.Record(outcome.Elapsed);
            given[id] = Addresses(outcome.Stdout);
            if (given.Count > 10 * reserve)
            {
                throw new InvalidOperationException($"{given.Count} ADDs served with the server stopped, more than the reserve of {reserve} could hold");
            }
        }

        context.Progress("server restarted: waiting until it holds every handle the agent gave out");
        var restart = Stopwatch.GetTimestamp();
        await server.RestartAsync();
        var ready = Stopwatch.GetTimestamp();
        var ipam = new Ipam.IpamClient(server.CreateUnixSocketChannel());
        var unknown = new HashSet<string>(given.Keys, StringComparer.Ordinal);
        await WaitAsync(
            async () =>
            {
                foreach (var id in unknown.ToList())
                {
                    if (await HoldsAsync(ipam, id, given[id]))
                    {
                        unknown.Remove(id);
                    }
                }

                return unknown.Count == 0;
            },
            "the server to hold every handle given out while it was away");
        var known = Stopwatch.GetTimestamp();

        var s = served.Summarize();
        var table = report.AddTable("server stopped: ADDs through the agent (ms)", "what", "n", "p50", "p99", "max");
        table.Add("ADD served from the reserve", s.Count, s.P50Ms, s.P99Ms, s.MaxMs);
        table.Add($"next ADD: code {Code(refusal.Stdout)} (after trying the servers for {ServerTimeout.TotalSeconds:0} s)", 1, refusal.Elapsed.TotalMilliseconds, refusal.Elapsed.TotalMilliseconds, refusal.Elapsed.TotalMilliseconds);
        var lag = report.AddTable("server back: confirmation lag", "what", "seconds");
        lag.Add("restart to ready (the server's own start)", Seconds(restart, ready));
        lag.Add($"ready to holding all {given.Count} handles (the agent's confirmations)", Seconds(ready, known));
        report.Targets.Add(new TargetResult($"ADDs served with the server stopped (reserve {reserve})", given.Count, ">=", reserve));
        return Code(refusal.Stdout) == 11
            ? report
            : throw new InvalidOperationException($"the ADD after the reserve ran out failed without code 11: {refusal.Stdout} {refusal.Stderr}");
    }

    private static async Task<bool> HoldsAsync(Ipam.IpamClient ipam, string id, List<string> addresses)
    {
        var request = new CheckRequest { Handle = new Handle { Network = "bench-away", ContainerId = id, Interface = "eth0" } };
        request.ExpectedAddresses.AddRange(addresses);
        try
        {
            await ipam.CheckAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private static List<string> Addresses(string stdout) =>
        [.. System.Text.Json.Nodes.JsonNode.Parse(stdout)!["ips"]!.AsArray().Select(ip => ip!["address"]!.GetValue<string>().Split('/')[0])];

    private static int Code(string stdout) => System.Text.Json.Nodes.JsonNode.Parse(stdout)?["code"]?.GetValue<int>() ?? -1;

    private static double Seconds(long from, long to) => Math.Round(Stopwatch.GetElapsedTime(from, to).TotalSeconds, 3);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(deadline) > Bound)
            {
                throw new TimeoutException($"timed out after {Bound.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
