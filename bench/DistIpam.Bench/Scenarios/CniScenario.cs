using DistIpam.Bench.Cni;
using DistIpam.Bench.Measuring;
using DistIpam.Bench.Reporting;

namespace DistIpam.Bench.Scenarios;

/// <summary>
/// CNI ADD/DEL as a runtime sees it: fork/exec of the AOT distipam plugin against the embedded
/// server over its Unix socket, and of Debian's host-local on an equivalent range, interleaved
/// operation by operation (rotating which goes first) so all see the same machine load; and of the
/// plugin through distipam-agent (warm reserve of 8 per family, docs/agent.md), one agent per family mix.
/// </summary>
public static class CniScenario
{
    private const int WarmUp = 3;
    private const int AgentReserve = 8;

    /// <summary>Runs every case and returns the report.</summary>
    public static async Task<ScenarioReport> RunAsync(BenchContext context, CniOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        CniConfigs.EnsureHostLocal();
        var report = new ScenarioReport("cni", context.Smoke);
        report.Settings["operations"] = options.Operations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        report.Settings["callers"] = string.Join('/', options.Concurrency);
        report.Settings["endpoint"] = "Unix socket of the embedded server";
        var plugin = await PluginBinary.GetPathAsync(context);
        await using var server = await EmbeddedServer.StartAsync(context, "cni");
        var hostLocalRoot = Directory.CreateTempSubdirectory("distipam-bench-hl-").FullName;
        var cases = new List<CniCase>();
        await using var agentDualStack = await AgentDaemon.StartAsync(server.UnixSocketPath, "bench-agent-ds", AgentReserve, []);
        await using var agentV4 = await AgentDaemon.StartAsync(server.UnixSocketPath, "bench-agent-v4", AgentReserve, ["pods-v4"]);
        report.Settings["agent"] = $"distipam-agent, reserve {AgentReserve} per family, journal fsynced";
        try
        {
            foreach (var family in new[] { "dual-stack", "IPv4" })
            {
                foreach (var callers in options.Concurrency)
                {
                    var benchCase = new CniCase(family, callers);
                    var tag = $"{(family == "IPv4" ? "v4" : "ds")}-x{callers}";
                    var ours = CniConfigs.Distipam("bench-" + tag, server.UnixSocketPath, "bench-node", family == "IPv4" ? ["pods-v4"] : null);
                    var agent = family == "IPv4"
                        ? CniConfigs.DistipamViaAgent("bench-agent-" + tag, agentV4.SocketPath, "bench-agent-v4", ["pods-v4"])
                        : CniConfigs.DistipamViaAgent("bench-agent-" + tag, agentDualStack.SocketPath, "bench-agent-ds", null);
                    var hostLocal = CniConfigs.HostLocal("bench-" + tag, Path.Combine(hostLocalRoot, tag), family == "IPv4" ? ["10.88.0.0/16"] : ["10.88.0.0/16", "fd00:88::/64"]);
                    var addresses = family == "IPv4" ? 1 : 2;
                    context.Progress($"case {benchCase.Name}: {options.Operations} ADDs then DELs per plugin");
                    await RunCaseAsync(plugin, ours, agent, hostLocal, benchCase, tag, options.Operations, addresses);
                    cases.Add(benchCase);
                }
            }

            context.Progress("breakdown: /bin/true, VERSION of each plugin, in-process gRPC Allocate/Release");
            await CniBreakdown.RunAsync(
                report,
                server,
                plugin,
                CniConfigs.Distipam("bench-breakdown", server.UnixSocketPath, "bench-node", null),
                CniConfigs.HostLocal("bench-breakdown", Path.Combine(hostLocalRoot, "breakdown"), ["10.89.0.0/16", "fd00:89::/64"]),
                Math.Min(options.Operations, 100),
                agentDualStack.SocketPath,
                "bench-agent-ds");
            context.Progress("breakdown: an agent ADD stage by stage (DISTIPAM_CNI_TIMING=1)");
            await CniStageBreakdown.RunAsync(
                report,
                plugin,
                CniConfigs.DistipamViaAgent("bench-stages", agentDualStack.SocketPath, "bench-agent-ds", null),
                agentDualStack,
                Math.Min(options.Operations, 100));
        }
        finally
        {
            Directory.Delete(hostLocalRoot, recursive: true);
        }

        Report(context, report, cases);
        return report;
    }

    private static async Task RunCaseAsync(string plugin, string ours, string agent, string hostLocal, CniCase benchCase, string tag, int operations, int addresses)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            var id = $"warm-{tag}-{i}";
            await ExecAsync(plugin, "ADD", id, ours, null, addresses);
            await ExecAsync(plugin, "ADD", id, agent, null, addresses);
            await ExecAsync(CniConfigs.HostLocalPath, "ADD", id, hostLocal, null, addresses);
            await ExecAsync(plugin, "DEL", id, ours, null, 0);
            await ExecAsync(plugin, "DEL", id, agent, null, 0);
            await ExecAsync(CniConfigs.HostLocalPath, "DEL", id, hostLocal, null, 0);
        }

        foreach (var (verb, oursRecorder, agentRecorder, hostLocalRecorder) in new[] { ("ADD", benchCase.OursAdd, benchCase.AgentAdd, benchCase.HostLocalAdd), ("DEL", benchCase.OursDel, benchCase.AgentDel, benchCase.HostLocalDel) })
        {
            var expected = verb == "ADD" ? addresses : 0;
            (string Plugin, string Config, LatencyRecorder Recorder)[] runs =
            [
                (plugin, ours, oursRecorder),
                (plugin, agent, agentRecorder),
                (CniConfigs.HostLocalPath, hostLocal, hostLocalRecorder),
            ];
            await Task.WhenAll(Enumerable.Range(0, benchCase.Callers).Select(caller => Task.Run(async () =>
            {
                for (var i = caller; i < operations; i += benchCase.Callers)
                {
                    var id = $"c-{tag}-{i}";
                    // Rotate which plugin goes first so none always runs on a machine the others just warmed.
                    for (var k = 0; k < runs.Length; k++)
                    {
                        var run = runs[(i + k) % runs.Length];
                        await ExecAsync(run.Plugin, verb, id, run.Config, run.Recorder, expected);
                    }
                }
            })));
        }
    }

    private static async Task ExecAsync(string plugin, string verb, string containerId, string config, LatencyRecorder? recorder, int expectedAddresses)
    {
        var outcome = (await PluginExec.RunAsync(plugin, verb, containerId, config)).EnsureSuccess($"{Path.GetFileName(plugin)} {verb} {containerId}");
        recorder?.Record(outcome.Elapsed);
        if (expectedAddresses > 0)
        {
            var seen = outcome.Stdout.Split("\"address\"").Length - 1;
            if (seen != expectedAddresses)
            {
                throw new InvalidOperationException($"{Path.GetFileName(plugin)} ADD {containerId} returned {seen} addresses, expected {expectedAddresses}: {outcome.Stdout}");
            }
        }
    }

    private static void Report(BenchContext context, ScenarioReport report, List<CniCase> cases)
    {
        var latencies = report.AddTable("latency per exec (ms)", "case", "verb", "plugin", "n", "p50", "p90", "p99", "max");
        var ratios = report.AddTable("ratio ours / host-local (lower is better for us)", "case", "verb", "p50 ratio", "p99 ratio", "max ratio");
        var agentRatios = report.AddTable("ratio agent / host-local (lower is better for us)", "case", "verb", "p50 ratio", "p99 ratio", "max ratio");
        foreach (var c in cases)
        {
            foreach (var (verb, ours, agent, hostLocal) in new[] { ("ADD", c.OursAdd, c.AgentAdd, c.HostLocalAdd), ("DEL", c.OursDel, c.AgentDel, c.HostLocalDel) })
            {
                var o = ours.Summarize();
                var a = agent.Summarize();
                var h = hostLocal.Summarize();
                latencies.Add(c.Name, verb, "distipam", o.Count, o.P50Ms, o.P90Ms, o.P99Ms, o.MaxMs);
                latencies.Add(c.Name, verb, "distipam via agent", a.Count, a.P50Ms, a.P90Ms, a.P99Ms, a.MaxMs);
                latencies.Add(c.Name, verb, "host-local", h.Count, h.P50Ms, h.P90Ms, h.P99Ms, h.MaxMs);
                ratios.Add(c.Name, verb, Ratio(o.P50Ms, h.P50Ms), Ratio(o.P99Ms, h.P99Ms), Ratio(o.MaxMs, h.MaxMs));
                agentRatios.Add(c.Name, verb, Ratio(a.P50Ms, h.P50Ms), Ratio(a.P99Ms, h.P99Ms), Ratio(a.MaxMs, h.MaxMs));
                if (verb == "ADD" && c.Family == "dual-stack")
                {
                    report.Targets.Add(new TargetResult($"dual-stack ADD p50 ours/host-local ({c.Callers} caller(s))", Ratio(o.P50Ms, h.P50Ms), "<=", 0.75));
                    report.Targets.Add(new TargetResult($"dual-stack ADD p99 ours/host-local ({c.Callers} caller(s))", Ratio(o.P99Ms, h.P99Ms), "<=", 1.0));
                    // docs/agent.md: the agent's targets (issue 13).
                    report.Targets.Add(new TargetResult($"dual-stack ADD p50 agent/host-local ({c.Callers} caller(s))", Ratio(a.P50Ms, h.P50Ms), "<=", c.Callers == 1 ? 0.6 : 0.5));
                    if (c.Callers == 1)
                    {
                        report.Targets.Add(new TargetResult("dual-stack ADD p99 agent/host-local (1 caller)", Ratio(a.P99Ms, h.P99Ms), "<=", 0.8));
                    }
                }
            }
        }

        // host-local keeps a file per address; whether either plugin slows down as it holds more
        // addresses decides how far the whole-run ratios carry to other N.
        var quarters = report.AddTable("ADD p50 by quarter of the run (ms; the plugins hold more addresses as it goes)", "case", "ADDs", "distipam p50", "host-local p50", "ratio p50");
        foreach (var c in cases)
        {
            var ours = c.OursAdd.SamplesInOrder();
            var theirs = c.HostLocalAdd.SamplesInOrder();
            for (var q = 0; q < 4; q++)
            {
                var o = LatencyRecorder.Of(Quarter(ours, q)).Summarize().P50Ms;
                var h = LatencyRecorder.Of(Quarter(theirs, q)).Summarize().P50Ms;
                quarters.Add(c.Name, $"{(q * ours.Count / 4) + 1}-{(q + 1) * ours.Count / 4}", o, h, Ratio(o, h));
            }
        }

        context.TryPlot(report, "cni-add-cdf", path => Plots.Cdf(
            path,
            "CNI ADD latency (fork/exec to exit): distipam vs host-local",
            [.. cases.Where(c => c.Family == "dual-stack").SelectMany(c => new (string, IReadOnlyList<double>)[]
            {
                ($"distipam {c.Name}", c.OursAdd.SortedSamples()),
                ($"host-local {c.Name}", c.HostLocalAdd.SortedSamples()),
            })]));
    }

    private static IEnumerable<double> Quarter(IReadOnlyList<double> samples, int quarter) =>
        samples.Take((quarter + 1) * samples.Count / 4).Skip(quarter * samples.Count / 4);

    private static double Ratio(double ours, double theirs) => theirs <= 0 ? double.NaN : Math.Round(ours / theirs, 3);
}
