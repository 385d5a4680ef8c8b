namespace DistIpam.Grains.Blocks;

/// <summary>
/// One aligned block of a pool (key <see cref="BlockKey"/>): the unit of allocation consistency.
/// Every answer that reports a change is sent only after the change is durably written; concurrent
/// calls share one write (group commit). A write that loses an ETag race deactivates the grain and
/// fails with <c>UNAVAILABLE</c>; the caller retries and reaches a fresh activation.
/// </summary>
public interface IBlockGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the owner and settings. Idempotent for the same owner; fails with
    /// <c>FailedPrecondition</c> if another node owns the block.
    /// </summary>
    Task<BlockUsage> InitializeAsync(BlockSettings settings);

    /// <summary>
    /// Replaces the reserved ranges; refused (naming the address) if one covers a held address.
    /// Nothing to do for a block not claimed (its next claim brings the pool's ranges). Idempotent.
    /// </summary>
    Task UpdateReservedAsync(IReadOnlyList<string> reserved);

    /// <summary>
    /// Allocates one address for <paramref name="handleId"/>. Idempotent per handle: a handle that
    /// already holds an address here gets the same lease. <c>Exhausted</c> when full,
    /// <c>FailedPrecondition</c> when the block has no owner (not claimed).
    /// </summary>
    Task<AddressLease> AllocateAsync(string handleId, PodIdentity pod);

    /// <summary>
    /// Allocates <paramref name="address"/>. Idempotent when the same handle holds it; otherwise
    /// <c>AlreadyExists</c> naming the holder, or <c>InvalidArgument</c> for reserved/network/gateway.
    /// </summary>
    Task<AddressLease> AllocateSpecificAsync(string address, string handleId, PodIdentity pod);

    /// <summary>
    /// Frees <paramref name="address"/> if it is still held under <paramref name="sequence"/>;
    /// false (nothing changed) when it is free, was re-issued since, or the block is not claimed.
    /// </summary>
    Task<bool> ReleaseAsync(string address, ulong sequence);

    /// <summary>
    /// Moves <paramref name="address"/>, held under <paramref name="sequence"/>, to
    /// <paramref name="toHandle"/> in one write, without freeing it (the node agent's reserve,
    /// docs/agent.md): the moved lease has a new sequence, so the old holder's releases free nothing.
    /// Idempotent: a repeat returns the moved lease. <c>FailedPrecondition</c> when the address is no
    /// longer held under that sequence (nothing changed), or the target holds another address here.
    /// </summary>
    Task<AddressLease> TransferAsync(string address, ulong sequence, string toHandle, PodIdentity pod);

    /// <summary>
    /// Frees what the handle holds here under a generation of at most <paramref name="maxGeneration"/>
    /// (<see cref="PodIdentity.HandleGeneration"/>); returns what was freed (maybe none).
    /// </summary>
    Task<IReadOnlyList<AddressLease>> ReleaseHandleAsync(string handleId, ulong maxGeneration);

    /// <summary>Every allocation in the block, in address order.</summary>
    Task<IReadOnlyList<AddressLease>> ListAllocationsAsync();

    /// <summary>Owner and fill level.</summary>
    Task<BlockUsage> GetUsageAsync();

    /// <summary>Frees every allocation (draining a dead node); returns how many.</summary>
    Task<int> ReleaseAllAsync();

    /// <summary>
    /// Forgets the block (its stored state keeps only the next sequence number and cursor, so a
    /// later claim never reissues a sequence) if it holds nothing and is owned by
    /// <paramref name="owner"/>; true if it did. Further allocations fail until it is claimed again.
    /// </summary>
    Task<bool> RetireIfEmptyAsync(string owner);
}
