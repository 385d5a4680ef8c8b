using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Bench.Cluster;
using DistIpam.Bench.Measuring;
using DistIpam.Bench.Reporting;
using Grpc.Core;

namespace DistIpam.Bench.Scenarios;

/// <summary>
/// Steady dual-stack Allocate+Release load on a 3-silo cluster (deploy/local/cluster.sh, Redis),
/// clients failing over between silos like the plugin; kill -9 of silo 1 mid-run. Measures the
/// longest time without a successful allocation, failures at the client and latency around the event.
/// </summary>
public static class FailoverScenario
{
    private const int Silos = 3;
    private const int KilledSilo = 1;
    private static readonly TimeSpan ClientDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Runs the scenario and returns the report.</summary>
    public static async Task<ScenarioReport> RunAsync(BenchContext context, FailoverOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var report = new ScenarioReport("failover", context.Smoke);
        report.Settings["silos"] = "3 (cluster.sh, Redis appendfsync always)";
        report.Settings["clients"] = options.Workers.ToString(CultureInfo.InvariantCulture);
        report.Settings["timeline"] = $"{options.SteadySeconds} s steady, kill -9 silo {KilledSilo}, {options.AfterKillSeconds} s after; event window {options.EventSeconds} s";
        report.Settings["client deadline"] = $"{ClientDeadline.TotalSeconds:0} s per call, 5 s per attempt, next silo on UNAVAILABLE/connection errors";
        await using var cluster = await LocalClusterScript.StartAsync(context, Silos);
        using var client = new FailoverClient(Enumerable.Range(0, Silos).Select(cluster.GrpcAddress));
        var calls = new List<FailoverCall>();
        var errors = new List<string>();
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(options.SteadySeconds + options.AfterKillSeconds);
        var load = Task.WhenAll(Enumerable.Range(0, options.Workers).Select(w => Task.Run(() => WorkerAsync(client, w, clock, end, calls, errors))));
        await Task.Delay(TimeSpan.FromSeconds(options.SteadySeconds));
        var killAt = clock.Elapsed.TotalSeconds;
        context.Progress($"kill -9 silo {KilledSilo} at {killAt:0.0} s");
        await cluster.KillAsync(KilledSilo);
        await load;
        context.Progress($"load finished; {client.Retries} retries");
        Report(context, report, options, calls, errors, killAt, client.Retries);
        return report;
    }

    private static async Task WorkerAsync(FailoverClient client, int worker, Stopwatch clock, TimeSpan end, List<FailoverCall> calls, List<string> errors)
    {
        var node = $"fo-node-{(worker % 8).ToString(CultureInfo.InvariantCulture)}";
        for (var i = 0; clock.Elapsed < end; i++)
        {
            var handle = new Handle { Network = "bench-fo", ContainerId = $"w{worker.ToString(CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}", Interface = "eth0" };
            var started = clock.Elapsed.TotalSeconds;
            var ok = await TryAsync(() => client.AllocateAsync(new AllocateRequest { Handle = handle, Node = node }, worker % Silos, ClientDeadline), errors, "Allocate");
            lock (calls)
            {
                calls.Add(new FailoverCall(started, clock.Elapsed.TotalSeconds, ok));
            }

            if (ok)
            {
                await TryAsync(() => client.ReleaseAsync(new ReleaseRequest { Handle = handle, Node = node }, worker % Silos, ClientDeadline), errors, "Release");
            }
        }
    }

    private static async Task<bool> TryAsync<T>(Func<Task<T>> call, List<string> errors, string what)
    {
        try
        {
            await call();
            return true;
        }
        catch (RpcException e)
        {
            lock (errors)
            {
                errors.Add($"{what}: {e.StatusCode} {e.Status.Detail}");
            }

            return false;
        }
    }

    private static void Report(BenchContext context, ScenarioReport report, FailoverOptions options, List<FailoverCall> calls, List<string> errors, double killAt, long retries)
    {
        var successes = calls.Where(c => c.Succeeded).Select(c => c.EndSeconds).Order().ToList();
        var longestGap = 0.0;
        var gapStart = 0.0;
        for (var i = 1; i < successes.Count; i++)
        {
            if (successes[i] - successes[i - 1] > longestGap)
            {
                longestGap = successes[i] - successes[i - 1];
                gapStart = successes[i - 1];
            }
        }

        var eventEnd = killAt + options.EventSeconds;
        var phases = new (string Name, Func<FailoverCall, bool> In)[]
        {
            ("before the kill", c => c.EndSeconds < killAt),
            ("during the event (kill .. +" + options.EventSeconds.ToString(CultureInfo.InvariantCulture) + " s)", c => c.EndSeconds >= killAt && c.StartSeconds < eventEnd),
            ("after the event", c => c.StartSeconds >= eventEnd),
        };
        var table = report.AddTable("Allocate latency by phase (ms, retries included)", "phase", "n", "failed", "allocations/s", "p50", "p99", "max");
        foreach (var (name, inPhase) in phases)
        {
            var recorder = new LatencyRecorder();
            var selected = calls.Where(inPhase).ToList();
            foreach (var call in selected.Where(c => c.Succeeded))
            {
                recorder.Record(TimeSpan.FromMilliseconds(call.LatencyMs));
            }

            var s = recorder.Summarize();
            var span = selected.Count == 0 ? 1 : Math.Max(0.001, selected.Max(c => c.EndSeconds) - selected.Min(c => c.StartSeconds));
            table.Add(name, selected.Count, selected.Count(c => !c.Succeeded), s.Count / span, s.P50Ms, s.P99Ms, s.MaxMs);
        }

        var failed = calls.Count(c => !c.Succeeded);
        var summary = report.AddTable("failover", "measure", "value");
        summary.Add("allocations attempted", calls.Count);
        summary.Add("failed at the client", failed);
        summary.Add("retries (next silo or same after backoff)", retries);
        summary.Add("kill at (s)", killAt);
        summary.Add("longest gap without a successful allocation (s)", longestGap);
        summary.Add("that gap started at (s)", gapStart);
        report.Targets.Add(new TargetResult("failed allocations at the client", failed, "<=", 0));
        foreach (var error in errors.Distinct().Take(5))
        {
            report.Notes.Add("error: " + error);
        }

        var ok = calls.Where(c => c.Succeeded).OrderBy(c => c.EndSeconds).ToList();
        context.TryPlot(report, "failover-timeline", path => Plots.Timeline(
            path, $"Allocate latency around kill -9 of silo {KilledSilo}", [.. ok.Select(c => c.EndSeconds)], [.. ok.Select(c => c.LatencyMs)], killAt));
    }
}
