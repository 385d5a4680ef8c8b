using System.Diagnostics;
using DistIpam.Chaos.Tests.Running;
using DistIpam.Chaos.Tests.Schedules;
using Xunit.Abstractions;

namespace DistIpam.Chaos.Tests;

/// <summary>
/// The checker can fail: with a deliberately broken server (a commit answers before its write,
/// <c>DistIpam:Grains:UnsafeBrokenVariant=AcknowledgeBeforeWrite</c>, which writes 300 ms behind
/// its answer) and crashes (kill -9 of a
/// silo, Redis restarts that cut writes in flight), the suite must report a violation of one of
/// the invariants 1-7 (the correct server shows none of them in CI mode or the soak); an INTERNAL
/// answer alone does not count (docs/chaos.md).
/// </summary>
[Collection(ChaosOneAtATime.Name)]
public sealed class BrokenVariantTests(ITestOutputHelper output)
{
    /// <summary>Crash schedules tried before the test gives up on finding the broken variant.</summary>
    private const int MaxSchedules = 40;

    [Fact]
    public async Task AcknowledgeBeforeWrite_WithKills_CheckerReportsAViolation()
    {
        // Its findings are expected: they must not go to the findings file of real defects.
        var settings = ChaosSettings.FromEnvironment() with { FindingsFile = null };
        await using var chaos = await ChaosCluster.StartAsync("broken", ["--DistIpam:Grains:UnsafeBrokenVariant=AcknowledgeBeforeWrite"], settings);
        // No shrinking: the test asks only whether a violation is found, and each shrink step is a real run.
        var run = new ChaosRun(chaos.Environment, settings, output, "b" + Guid.NewGuid().ToString("N")[..4], v => v.Invariant is >= 1 and <= 7, maxShrinkRuns: 0);
        run.Print($"broken variant AcknowledgeBeforeWrite: seed {settings.Seed} (replay with {ChaosSettings.SeedVariable}={settings.Seed})");
        var clock = Stopwatch.StartNew();

        var report = run.Check(FaultClass.Crash, MaxSchedules, settings.Seed, "broken-variant");

        run.Print(run.Statistics.Describe(chaos.Environment.FaultStatistics, chaos.Environment.Client.Statistics, clock.Elapsed));
        Assert.True(report is not null, $"expected a violation of invariants 1-7 within {MaxSchedules} crash schedules on a server that acknowledges before writing, but all {run.Statistics.Schedules} passed them");
        run.Print("found, as expected:\n" + report);
    }
}
