using System.Diagnostics;
using System.Text;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Fuzz;

/// <summary>
/// The plugin's edge under hostile input (docs/security.md, "Fuzzing"): most cases run the plugin's
/// own code in process; a few hundred run the published AOT binary, so trimming cannot hide a
/// difference. Seeded: a failure prints the seed, <see cref="FuzzSeed.Variable"/> replays it.
/// </summary>
public sealed class CniFuzzTests
{
    private const int InProcessCases = 6000;
    private const int BinaryCases = 300;

    [Fact]
    public async Task Plugin_HostileInvocationsInProcess_SpecShapedErrorsOnly()
    {
        var seed = FuzzSeed.Resolve();
        var failures = new List<string>();
        var cases = seed.Sample(CniFuzzCases.Any(), InProcessCases);
        for (var i = 0; i < cases.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var run = await InProcessRun.RunAsync(cases[i].Environment, cases[i].Stdin);
            if (CniOracle.Violation(cases[i], run.ExitCode, run.Stdout, Stopwatch.GetElapsedTime(started)) is { } violation)
            {
                failures.Add($"case {i}: {violation}\n  {cases[i]}");
            }
        }

        seed.Report("CNI in-process fuzz", cases.Length, failures);
    }

    [Fact]
    public async Task Plugin_HostileInvocationsOfAotBinary_SpecShapedErrorsOnly()
    {
        var binary = await PluginBinary.GetPathAsync();
        var seed = FuzzSeed.Resolve();
        var failures = new List<string>();
        var cases = seed.Sample(CniFuzzCases.Any(), BinaryCases);
        for (var i = 0; i < cases.Length; i++)
        {
            // exec(2) takes no NUL in a variable and at most 128 KiB per string: the kernel refuses those, not the plugin.
            var environment = cases[i].Environment.Where(e => !e.Value.Contains('\0', StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(e.Value) < 100_000).ToDictionary(e => e.Key, e => (string?)e.Value);
            var started = Stopwatch.GetTimestamp();
            var outcome = await ProcessRunner.RunBytesAsync(binary, [], environment, cases[i].Stdin, TimeSpan.FromSeconds(10));
            if (CniOracle.Violation(cases[i] with { Environment = environment.ToDictionary(e => e.Key, e => e.Value!) }, outcome.ExitCode, outcome.Stdout, Stopwatch.GetElapsedTime(started)) is { } violation)
            {
                failures.Add($"case {i}: {violation}\n  {cases[i]}\n  stderr: {outcome.Stderr[..Math.Min(300, outcome.Stderr.Length)]}");
            }
        }

        seed.Report("CNI AOT binary fuzz", cases.Length, failures);
    }
}
