using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Cni.Tests.Fuzz;

/// <summary>
/// The seed of a fuzz run: random unless <see cref="Variable"/> names one, printed with every
/// failure so the exact cases can be generated again.
/// </summary>
public sealed class FuzzSeed
{
    /// <summary>Set to a seed printed by a failed run to replay it.</summary>
    public const string Variable = "DISTIPAM_FUZZ_SEED";

    private FuzzSeed(ulong value) => Value = value;

    /// <summary>The seed.</summary>
    public ulong Value { get; }

    /// <summary>The seed from <see cref="Variable"/>, or a new random one.</summary>
    public static FuzzSeed Resolve()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        return new FuzzSeed(string.IsNullOrEmpty(text) ? (ulong)Random.Shared.NextInt64() : ulong.Parse(text, CultureInfo.InvariantCulture));
    }

    /// <summary><paramref name="count"/> cases of <paramref name="generator"/>, the same for the same seed.</summary>
    public T[] Sample<T>(Gen<T> generator, int count, int size = 30)
    {
        // A different stream per generator and count, so two suites of one run do not mirror each other.
        var cases = generator.Sample(count, new Rnd(Value ^ (ulong)count), size);
        return cases.Length == count ? cases : throw new InvalidOperationException($"FsCheck sampled {cases.Length} cases, not {count}");
    }

    /// <summary>Fails the test listing the failed cases (at most ten) and how to replay them.</summary>
    public void Report(string suite, int cases, IReadOnlyCollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"{suite}: {failures.Count} of {cases} cases broke the oracle (seed {Value}; replay with {Variable}={Value}):\n"
                + string.Join("\n", failures.Take(10)));
        }
    }
}
