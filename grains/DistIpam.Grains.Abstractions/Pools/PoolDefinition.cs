namespace DistIpam.Grains.Pools;

/// <summary>
/// A pool as stored and exchanged between grains: text and numbers only, so the stored format
/// does not depend on Core's in-memory types. <see cref="PoolDefinitionMapper"/> converts to
/// and from Core's <c>PoolSpec</c>. Ids are never reused or renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PoolDefinition
{
    /// <summary>Pool name (DNS-1123 label).</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Canonical CIDR text.</summary>
    [Id(1)] public required string Cidr { get; init; }

    /// <summary>Block prefix length.</summary>
    [Id(2)] public int BlockPrefixLength { get; init; }

    /// <summary>1 = Pod, 2 = Service (Core <c>PoolKind</c>).</summary>
    [Id(3)] public int Kind { get; init; } = 1;

    /// <summary>Reserved ranges as canonical text.</summary>
    [Id(4)] public IReadOnlyList<string> ReservedRanges { get; init; } = [];

    /// <summary>No borrowing from other nodes' blocks.</summary>
    [Id(5)] public bool StrictAffinity { get; init; }

    /// <summary>0 = unlimited.</summary>
    [Id(6)] public int MaxBlocksPerNode { get; init; }

    /// <summary>A disabled pool hands out nothing new.</summary>
    [Id(7)] public bool Disabled { get; init; }

    /// <summary>1 = Bridged, 2 = Routed (Core <c>PoolWiring</c>).</summary>
    [Id(8)] public int Wiring { get; init; } = 1;

    /// <summary>Routes returned with allocations from this pool ("dst" or "dst via gw").</summary>
    [Id(9)] public IReadOnlyList<RouteDefinition> Routes { get; init; } = [];
}
