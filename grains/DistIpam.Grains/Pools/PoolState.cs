namespace DistIpam.Grains.Pools;

/// <summary>
/// The stored state of a pool grain. Ids are never reused or renumbered. Only claimed blocks are
/// stored (an IPv6 pool can hold 2^66 blocks), keyed by block CIDR.
/// </summary>
[GenerateSerializer]
public sealed class PoolState
{
    /// <summary>The definition; null until the catalog initializes the pool.</summary>
    [Id(0)] public PoolDefinition? Definition { get; set; }

    /// <summary>Claimed blocks by CIDR.</summary>
    [Id(1)] public Dictionary<string, BlockClaim> Claims { get; set; } = [];

    /// <summary>Index of the next block to try when claiming (decimal text of a UInt128).</summary>
    [Id(2)] public string NextBlockIndex { get; set; } = "0";
}
