using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Handles;

/// <summary>What an ADD asks for: one address per listed pool, for a pod on a node.</summary>
[GenerateSerializer, Immutable]
public sealed record HandleAllocationRequest
{
    /// <summary>The node the pod runs on.</summary>
    [Id(0)] public required string Node { get; init; }

    /// <summary>Pools, at most one per family, in the order addresses are returned.</summary>
    [Id(1)] public required IReadOnlyList<string> Pools { get; init; }

    /// <summary>Requested address per pool (same order as <see cref="Pools"/>; null = any).</summary>
    [Id(2)] public IReadOnlyList<string?> RequestedAddresses { get; init; } = [];

    /// <summary>Recorded with the allocations.</summary>
    [Id(3)] public PodIdentity Pod { get; init; } = PodIdentity.None;
}
