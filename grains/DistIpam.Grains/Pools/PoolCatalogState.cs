namespace DistIpam.Grains.Pools;

/// <summary>The stored list of pools. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class PoolCatalogState
{
    /// <summary>Pools by name.</summary>
    [Id(0)] public Dictionary<string, PoolDefinition> Pools { get; set; } = [];
}
