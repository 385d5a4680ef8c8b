namespace DistIpam.Bench.Scenarios;

/// <summary>Sizes of the throughput scenario.</summary>
/// <param name="Nodes">Simulated nodes, each one client with its own connection and one call in flight.</param>
/// <param name="Seconds">Measured seconds per workload, split into <paramref name="Rounds"/> alternating rounds.</param>
/// <param name="Rounds">Alternations of ceiling and allocation rounds, so load drift hits both alike.</param>
public sealed record ThroughputOptions(int Nodes, int Seconds, int Rounds)
{
    /// <summary>The defaults (64 nodes, 20 s) or a smoke run (8 nodes, 2 s), with overrides.</summary>
    public static ThroughputOptions For(bool smoke, int? nodes, int? seconds) =>
        new(nodes ?? (smoke ? 8 : 64), seconds ?? (smoke ? 2 : 20), 2);
}
