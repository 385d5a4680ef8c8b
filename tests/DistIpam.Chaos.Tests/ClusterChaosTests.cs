using System.Diagnostics;
using System.Globalization;
using DistIpam.Chaos.Tests.Faults;
using DistIpam.Chaos.Tests.Running;
using DistIpam.Chaos.Tests.Schedules;
using Xunit.Abstractions;

namespace DistIpam.Chaos.Tests;

/// <summary>
/// The chaos suite on a real cluster (Redis and three silos): generated schedules with faults,
/// checked against the model of what was acknowledged (docs/chaos.md).
/// </summary>
[Collection(ChaosOneAtATime.Name)]
public sealed class ClusterChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Schedules_WithFaultsOnThreeSilos_KeepEveryInvariant()
    {
        var settings = ChaosSettings.FromEnvironment();
        var runId = RunId();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chaos run {runId}: seed {settings.Seed} (replay with {ChaosSettings.SeedVariable}={settings.Seed}); death declaration bound {FaultTiming.DeathDeclarationBound.TotalSeconds:0.0} s, long pause {FaultTiming.LongPause.TotalSeconds:0.0} s, convergence window {settings.ConvergenceWindow.TotalSeconds:0} s"));
        await using var chaos = await ChaosCluster.StartAsync("chaos", [], settings);
        var run = new ChaosRun(chaos.Environment, settings, output, runId);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        for (var round = 0UL; round < 10_000; round++)
        {
            var tenths = Math.Max(1, settings.Schedules / 10);
            var seed = settings.Seed + (round * 3);
            var phases = new (FaultClass Faults, int Count, ulong Seed, string Name)[]
            {
                (FaultClass.LongPause, tenths * ChaosSettings.LongPausesPerTen, seed, "long-pause"),
                (FaultClass.Other, tenths * ChaosSettings.OtherFaultsPerTen, seed + 1, "fault"),
                (FaultClass.None, settings.Schedules - (tenths * (ChaosSettings.LongPausesPerTen + ChaosSettings.OtherFaultsPerTen)), seed + 2, "work"),
            };
            failures.AddRange(phases.Where(p => settings.Runs(p.Name)).Select(p => run.Check(p.Faults, p.Count, p.Seed, p.Name)).OfType<string>());
            // Soak mode goes on past failures (each phase stops at its first one), to gather figures.
            if (settings.Duration is not { } duration || clock.Elapsed >= duration)
            {
                break;
            }
        }

        var faults = chaos.Environment.FaultStatistics;
        run.Print(run.Statistics.Describe(faults, chaos.Environment.Client.Statistics, clock.Elapsed));
        // Repeated last: CI keeps only the tail of a long output, and the assertion message comes before it.
        output.WriteLine(RunStatistics.DescribeFailures(settings.Seed, failures));
        Assert.True(failures.Count == 0, $"seed {settings.Seed}: {failures.Count} phase(s) failed:\n{string.Join("\n\n", failures)}");
        if (settings.Phases is not null)
        {
            return; // a soak of chosen phases: the CI mix's counts below do not apply
        }

        Assert.True(run.Statistics.Schedules >= settings.Schedules, $"expected at least {settings.Schedules} schedules, ran {run.Statistics.Schedules}");
        var longPauses = faults.ByKind.GetValueOrDefault(FaultKind.LongPause);
        Assert.True(faults.Total * 10 >= settings.Schedules * 3 && longPauses * 10 >= settings.Schedules, $"expected at least {settings.Schedules * 3 / 10} faults, {settings.Schedules / 10} of them long pauses; saw {faults.Total} and {longPauses}");
    }

    private static string RunId() => "c" + Guid.NewGuid().ToString("N")[..4];
}
