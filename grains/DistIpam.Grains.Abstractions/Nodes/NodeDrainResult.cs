namespace DistIpam.Grains.Nodes;

/// <summary>What draining a node released.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeDrainResult
{
    /// <summary>Addresses freed.</summary>
    [Id(0)] public long AddressesReleased { get; init; }

    /// <summary>Blocks returned to their pools ("pool|cidr").</summary>
    [Id(1)] public IReadOnlyList<string> BlocksReleased { get; init; } = [];

    /// <summary>Addresses kept because their handle has one allocated after the drain's bound.</summary>
    [Id(2)] public long AddressesSpared { get; init; }

    /// <summary>Exactly the allocations this drain freed (by address and sequence).</summary>
    [Id(3)] public IReadOnlyList<Blocks.AddressLease> Released { get; init; } = [];
}
