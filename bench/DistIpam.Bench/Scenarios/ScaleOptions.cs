namespace DistIpam.Bench.Scenarios;

/// <summary>Sizes of the scale scenario.</summary>
/// <param name="Allocations">Dual-stack allocations to make.</param>
/// <param name="Nodes">Simulated nodes the allocations are spread over (round robin).</param>
/// <param name="Concurrency">Allocations in flight.</param>
/// <param name="Budget">Time after which the fill stops and reports how far it got.</param>
public sealed record ScaleOptions(int Allocations, int Nodes, int Concurrency, TimeSpan Budget)
{
    /// <summary>150,000 allocations on 5,000 nodes (a 30 min budget), or 300 on 30 nodes for a smoke run.</summary>
    public static ScaleOptions For(bool smoke, int? allocations, int? nodes, int? minutes = null) => smoke
        ? new(allocations ?? 300, nodes ?? 30, 8, TimeSpan.FromMinutes(minutes ?? 5))
        : new(allocations ?? 150_000, nodes ?? 5_000, 64, TimeSpan.FromMinutes(minutes ?? 30));
}
