using DistIpam.Api.V1;

namespace DistIpam.Chaos.Tests.Observation;

/// <summary>One look at the cluster: through the API (Check, ListBlocks, CheckConsistency, GetUsage) and straight at storage.</summary>
/// <param name="Checks">Ipam.Check per model handle key.</param>
/// <param name="StoredBlocks">Every block's stored state (empty when storage is not readable, e.g. embedded mode).</param>
/// <param name="Claims">Pools.ListBlocks of the pod pools.</param>
/// <param name="Consistency">Pools.CheckConsistency, or null when it did not answer.</param>
/// <param name="NodeUsage">Pools.GetUsage per node.</param>
/// <param name="Pools">The pools by name.</param>
internal sealed record ObservedState(
    IReadOnlyDictionary<string, HandleObservation> Checks,
    IReadOnlyList<StoredBlockView> StoredBlocks,
    IReadOnlyList<BlockInfo> Claims,
    ConsistencyReport? Consistency,
    IReadOnlyList<NodeUsage> NodeUsage,
    IReadOnlyDictionary<string, PoolView> Pools)
{
    /// <summary>Every stored allocation.</summary>
    public IEnumerable<StoredAllocationView> StoredAllocations => StoredBlocks.SelectMany(b => b.Allocations);
}
