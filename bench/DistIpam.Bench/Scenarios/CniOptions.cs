namespace DistIpam.Bench.Scenarios;

/// <summary>Sizes of the cni scenario.</summary>
/// <param name="Operations">ADDs (then as many DELs) per case and plugin.</param>
/// <param name="Concurrency">Concurrent callers, one case each.</param>
public sealed record CniOptions(int Operations, IReadOnlyList<int> Concurrency)
{
    /// <summary>The full run: 400 ADDs and DELs per case, 1 and 4 callers.</summary>
    public static CniOptions Default { get; } = new(400, [1, 4]);

    /// <summary>A few operations, to check the scenario works.</summary>
    public static CniOptions Smoke { get; } = new(4, [1, 4]);
}
