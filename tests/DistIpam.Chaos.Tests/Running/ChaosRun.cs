using System.Globalization;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Schedules;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>
/// FsCheck over real schedules: each property evaluation runs one schedule on the shared cluster.
/// A failure is shrunk by FsCheck within <see cref="MaxShrinkRuns"/> further runs (each costs a
/// real run), and the smallest failing schedule is kept with its violations.
/// </summary>
internal sealed class ChaosRun(ChaosEnvironment environment, ChaosSettings settings, ITestOutputHelper output, string runId, Func<Violation, bool>? counts = null, int maxShrinkRuns = ChaosRun.MaxShrinkRuns)
{
    /// <summary>Shrink candidates run after the first failure; past it, candidates count as passing so FsCheck stops at the smallest failure found.</summary>
    public const int MaxShrinkRuns = 12;

    private readonly ScheduleRunner _runner = new(environment);
    private readonly FindingsLog _findings = new(settings.FindingsFile, runId);
    private int _number;
    private int _shrinkRuns;

    /// <summary>Counts over the run.</summary>
    public RunStatistics Statistics { get; } = new();

    /// <summary>The smallest failing schedule found, with its violations (null while everything passed).</summary>
    public (Schedule Schedule, IReadOnlyList<Violation> Violations)? Failure { get; private set; }

    /// <summary>
    /// Runs <paramref name="count"/> schedules of <paramref name="faults"/> from <paramref name="seed"/>;
    /// returns null when all passed, else FsCheck's report (original and shrunk schedule) with the
    /// smallest failure's violations.
    /// </summary>
    public string? Check(FaultClass faults, int count, ulong seed, string phase)
    {
        Failure = null;
        _shrinkRuns = 0;
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(count)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        var arbitrary = ScheduleGenerator.Arbitrary(faults, environment.Cluster.Silos.Count);
        try
        {
            FsCheck.Check.One(config, Prop.ForAll(arbitrary, schedule => Evaluate(schedule, seed, phase)));
            return null;
        }
        catch (Exception e) when (Failure is not null)
        {
            var (schedule, violations) = Failure.Value;
            return string.Create(CultureInfo.InvariantCulture,
                $"{phase} (seed {seed}): {e.Message}\nsmallest failing schedule: {schedule}\n{string.Join("\n", violations.Take(20).Select(v => "  " + v))}");
        }
    }

    /// <summary>Where the progress lines also go while the test runs (xunit shows its output only at the end).</summary>
    public string ProgressFile { get; } = Path.Combine(AppContext.BaseDirectory, "chaos-logs", runId + ".log");

    /// <summary>Writes a line to the test output and the progress file.</summary>
    public void Print(string line)
    {
        output.WriteLine(line);
        Directory.CreateDirectory(Path.GetDirectoryName(ProgressFile)!);
        File.AppendAllText(ProgressFile, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} {line}\n"));
    }

    private bool Evaluate(Schedule schedule, ulong seed, string phase)
    {
        if (Failure is not null && _shrinkRuns++ >= maxShrinkRuns)
        {
            return true;
        }

        var number = Interlocked.Increment(ref _number);
        var names = new ScheduleNames(string.Create(CultureInfo.InvariantCulture, $"{runId}s{number}-"), number);
        var result = Task.Run(() => _runner.RunAsync(schedule, names, shrinking: Failure is not null)).GetAwaiter().GetResult();
        Statistics.Add(result);
        Print(string.Create(CultureInfo.InvariantCulture,
            $"#{number} {phase} {(result.Passed ? "ok" : "FAILED")} in {result.Elapsed.TotalSeconds:0.0} s ({result.Steps} ops, recovery {result.Recovery.TotalSeconds:0.0} s, convergence {result.Convergence.TotalSeconds:0.0} s): {schedule}"));
        if (result.Passed)
        {
            return true;
        }

        if (counts is not null && !result.Violations.Any(counts))
        {
            foreach (var violation in result.Violations.Take(20))
            {
                Print("    (not counted) " + violation);
            }

            return true;
        }

        foreach (var violation in result.Violations.Take(20))
        {
            Print("    " + violation);
        }

        Failure = (schedule, result.Violations);
        _findings.Append(seed, phase, schedule, result.Violations);
        return false;
    }
}
