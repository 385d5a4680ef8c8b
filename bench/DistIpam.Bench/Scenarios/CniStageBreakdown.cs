using System.Globalization;
using DistIpam.Bench.Cni;
using DistIpam.Bench.Measuring;
using DistIpam.Bench.Reporting;

namespace DistIpam.Bench.Scenarios;

/// <summary>
/// Where one agent ADD's time goes, stage by stage: the plugin runs with DISTIPAM_CNI_TIMING=1 and
/// prints the monotonic-clock time of each stage (src/DistIpam.Cni/Diagnostics/StageClock.cs); this
/// process stamps the fork and the exit on the same clock. The agent's own share (sent to answered)
/// is split further with its metrics: the mean journal flush of the same ADDs (docs/benchmarks.md).
/// </summary>
public static class CniStageBreakdown
{
    private const string JournalSum = "distipam_agent_journal_fsync_duration_seconds_sum";
    private const string JournalCount = "distipam_agent_journal_fsync_duration_seconds_count";

    private static readonly (string Name, string From, string To)[] Steps =
    [
        ("fork/exec to main (loader, runtime start-up)", "start", "main"),
        ("stdin read, parsed, validated", "main", "parsed"),
        ("connect to the agent's socket", "parsed", "connected"),
        ("request frame written", "connected", "sent"),
        ("agent: read, dispatch, journal append + fsync, answer", "sent", "answered"),
        ("answer decoded, result written to stdout", "answered", "written"),
        ("process exit, seen by the caller", "written", "end"),
        ("total, fork to exit seen", "start", "end"),
    ];

    /// <summary>Runs <paramref name="iterations"/> ADDs (then DELs) of the dual-stack agent configuration and adds a table.</summary>
    /// <param name="report">The report.</param>
    /// <param name="plugin">The AOT plugin.</param>
    /// <param name="agentConfig">A network configuration with ipam.agent set.</param>
    /// <param name="agent">The agent it names (its metrics endpoint).</param>
    /// <param name="iterations">ADDs.</param>
    public static async Task RunAsync(ScenarioReport report, string plugin, string agentConfig, AgentDaemon agent, int iterations)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(agent);
        var recorders = Steps.Select(_ => new LatencyRecorder()).ToArray();
        var timing = new Dictionary<string, string> { ["DISTIPAM_CNI_TIMING"] = "1" };
        var sumBefore = await AgentScrape.SumAsync(agent.MetricsUrl, JournalSum);
        var countBefore = await AgentScrape.SumAsync(agent.MetricsUrl, JournalCount);
        for (var i = -2; i < iterations; i++)
        {
            var id = $"stages-{i + 2}";
            var outcome = (await PluginExec.RunAsync(plugin, "ADD", id, agentConfig, timing)).EnsureSuccess($"distipam ADD {id} (stage clock)");
            var marks = Parse(outcome);
            if (i >= 0)
            {
                for (var s = 0; s < Steps.Length; s++)
                {
                    recorders[s].Record(TimeSpan.FromTicks(marks[Steps[s].To] - marks[Steps[s].From]));
                }
            }

            (await PluginExec.RunAsync(plugin, "DEL", id, agentConfig)).EnsureSuccess($"distipam DEL {id}");
        }

        var fsyncs = await AgentScrape.SumAsync(agent.MetricsUrl, JournalCount) - countBefore;
        var fsyncSeconds = await AgentScrape.SumAsync(agent.MetricsUrl, JournalSum) - sumBefore;
        var table = report.AddTable("where an agent ADD's time goes (dual-stack, 1 caller, stage clock, ms)", "stage", "n", "p50", "p90", "p99");
        for (var s = 0; s < Steps.Length; s++)
        {
            var summary = recorders[s].Summarize();
            table.Add(Steps[s].Name, summary.Count, summary.P50Ms, summary.P90Ms, summary.P99Ms);
        }

        report.Notes.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"agent journal during the stage breakdown: {fsyncs:0} flushes (ADDs and DELs, refills and confirmations included), mean {(fsyncs > 0 ? fsyncSeconds / fsyncs * 1000 : double.NaN):0.000} ms each"));
    }

    /// <summary>The stage marks, the fork ("start") and the exit ("end") in <see cref="TimeSpan"/> ticks of the machine's monotonic clock.</summary>
    private static Dictionary<string, long> Parse(ExecOutcome outcome)
    {
        var line = outcome.Stderr.Split('\n').FirstOrDefault(l => l.StartsWith("distipam-timing ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the plugin printed no stage clock line (DISTIPAM_CNI_TIMING=1): {outcome.Stderr}");
        var marks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(kv => kv.Split('='))
            .ToDictionary(kv => kv[0], kv => long.Parse(kv[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        if (marks["frequency"] != System.Diagnostics.Stopwatch.Frequency)
        {
            throw new InvalidOperationException($"the plugin's clock runs at {marks["frequency"]} Hz, this process's at {System.Diagnostics.Stopwatch.Frequency}");
        }

        var scale = (double)TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency;
        return marks.Where(m => m.Key != "frequency")
            .Append(new("start", outcome.StartTimestamp))
            .Append(new("end", outcome.EndTimestamp))
            .ToDictionary(m => m.Key, m => (long)(m.Value * scale), StringComparer.Ordinal);
    }
}
