using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Nodes;

/// <summary>
/// One cluster node (key = node name): which blocks it has affinity to, per pool. Allocation
/// prefers the node's own blocks, claims a new block when they are full, and borrows from another
/// node's block only when the pool has no unclaimed block left and is not strict.
/// </summary>
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Allocates one address for a handle. Idempotent per handle within a block. Errors:
    /// <c>Exhausted</c> naming the pool, <c>AlreadyExists</c> for a taken requested address,
    /// <c>InvalidArgument</c> for a requested address outside the pool, <c>FailedPrecondition</c>
    /// for a disabled pool, <c>NotFound</c> for an unknown pool.
    /// </summary>
    Task<AddressLease> AllocateAsync(NodeAllocationRequest request);

    /// <summary>
    /// Frees whatever the handle holds in this node's owned and borrowed blocks (the sweep for a
    /// handle whose own record was never written), only what it holds under a generation of at most
    /// <paramref name="maxGeneration"/>: nothing a newer attempt of the handle took. Idempotent.
    /// </summary>
    Task<IReadOnlyList<AddressLease>> ReleaseHandleAsync(string handleId, ulong maxGeneration);

    /// <summary>
    /// Returns <paramref name="block"/> of <paramref name="pool"/> to its pool if the pool says this
    /// node claimed it but the node does not list it (the node's own write of the claim failed) and
    /// it holds nothing; true if it did. Runs through the node's claim gate, so no claim of the node
    /// in that pool is half done meanwhile. The server's reconciliation calls it (rule 10).
    /// </summary>
    Task<bool> ReturnStrandedBlockAsync(string pool, string block);

    /// <summary>Every allocation made for pods on this node (owned and borrowed blocks).</summary>
    Task<IReadOnlyList<AddressLease>> ListAllocationsAsync();

    /// <summary>The node's blocks per pool.</summary>
    Task<IReadOnlyList<NodeBlocks>> ListBlocksAsync();

    /// <summary>
    /// Drains the node: frees every address of its pods and returns its owned blocks to their pools.
    /// Addresses other nodes' pods borrowed from its blocks stay allocated, and a block holding one
    /// stays claimed until they are released. Idempotent; safe to call for a node that never existed.
    /// Bounded by allocation time: a handle with any address allocated after
    /// <paramref name="allocatedAtOrBeforeUnixMs"/> keeps all of them (<see cref="long.MaxValue"/>:
    /// no bound), so a drain of a node judged dead at that time never frees an ADD that came later.
    /// </summary>
    Task<NodeDrainResult> ReleaseAllAsync(long allocatedAtOrBeforeUnixMs);
}
