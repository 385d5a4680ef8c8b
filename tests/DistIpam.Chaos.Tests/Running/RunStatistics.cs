using System.Globalization;
using System.Text;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Faults;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>Counts over a whole run: schedules, operations, faults by kind, times (printed at the end of the test).</summary>
internal sealed class RunStatistics
{
    private readonly Lock _gate = new();

    /// <summary>Schedules run (shrink candidates included).</summary>
    public int Schedules { get; private set; }

    /// <summary>Schedules that broke an invariant.</summary>
    public int Failed { get; private set; }

    /// <summary>Operations run.</summary>
    public long Operations { get; private set; }

    /// <summary>The longest recovery after a fault.</summary>
    public TimeSpan LongestRecovery { get; private set; }

    /// <summary>The longest convergence after a cleanup.</summary>
    public TimeSpan LongestConvergence { get; private set; }

    /// <summary>Records one schedule.</summary>
    public void Add(ScheduleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            Schedules++;
            Failed += result.Passed ? 0 : 1;
            Operations += result.Steps;
            LongestRecovery = result.Recovery > LongestRecovery ? result.Recovery : LongestRecovery;
            LongestConvergence = result.Convergence > LongestConvergence ? result.Convergence : LongestConvergence;
        }
    }

    /// <summary>The failed phases, each cut to its first lines, for the very end of the test output.</summary>
    public static string DescribeFailures(ulong seed, IReadOnlyList<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"chaos run seed {seed}: every phase passed");
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"chaos run seed {seed}: {failures.Count} phase(s) FAILED (replay with {ChaosSettings.SeedVariable}={seed}):");
        foreach (var failure in failures)
        {
            foreach (var line in failure.Split('\n').Take(12))
            {
                text.AppendLine(line.Length > 600 ? line[..600] + " ..." : line);
            }
        }

        return text.ToString();
    }

    /// <summary>The summary block for the test output.</summary>
    public string Describe(FaultStatistics faults, ClientStatistics client, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(client);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"chaos run: {Schedules} schedules ({Failed} failed), {Operations} operations, {faults.Total} faults in {elapsed.TotalMinutes:0.0} min");
        foreach (var (kind, count) in faults.ByKind.OrderBy(k => k.Key))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {kind}: {count}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  silos that ended themselves after a long pause: {faults.SelfTerminations}; silo restarts: {faults.Restarts}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  client: {client.Attempts} attempts, {client.Retries} retries, {client.InternalErrors.Count} INTERNAL answers");
        text.AppendLine(CultureInfo.InvariantCulture, $"  calls: {string.Join("; ", client.OutcomesByCall())}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  longest recovery after a fault: {LongestRecovery.TotalSeconds:0.0} s (bound {ScheduleRunner.RecoveryBound.TotalSeconds:0} s); longest convergence after cleanup: {LongestConvergence.TotalSeconds:0.0} s");
        return text.ToString();
    }
}
