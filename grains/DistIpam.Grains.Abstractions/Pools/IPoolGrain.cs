namespace DistIpam.Grains.Pools;

/// <summary>
/// One pool (key = pool name): its definition and which blocks are claimed by which node. Claims
/// are rare (one per block of pods on a node), so the claim table is written per claim.
/// </summary>
public interface IPoolGrain : IGrainWithStringKey
{
    /// <summary>Stores the definition (from the catalog). Idempotent.</summary>
    Task InitializeAsync(PoolDefinition definition);

    /// <summary>The definition; <c>NotFound</c> if the pool does not exist.</summary>
    Task<PoolDefinition> GetDefinitionAsync();

    /// <summary>
    /// Gives <paramref name="node"/> a block: first any confirmed block of the node that it does not
    /// list in <paramref name="knownBlocks"/> (a reply it lost), else the next unclaimed block,
    /// claimed two-phase (pending, block initialized, confirmed). <c>Exhausted</c> when none is left.
    /// </summary>
    Task<string> ClaimBlockAsync(string node, IReadOnlyCollection<string> knownBlocks);

    /// <summary>
    /// Ensures the block holding a requested address is claimed: claims it for
    /// <paramref name="node"/> if unclaimed. Returns the owning node (maybe another).
    /// </summary>
    Task<string> EnsureBlockClaimedAsync(string node, string block);

    /// <summary>Every claim, pending ones included.</summary>
    Task<IReadOnlyList<BlockClaim>> ListClaimsAsync();

    /// <summary>
    /// Returns <paramref name="node"/>'s block to the pool: marks the claim returning (durably),
    /// retires the block if it is still empty, then removes the claim; if the block holds an address
    /// again, undoes the return and answers false. While returning, the block is neither handed back
    /// to a node nor re-initialized, so no allocation lands in a block whose claim is released.
    /// True also when the node holds no claim on the block (idempotent); false for a pending claim.
    /// </summary>
    Task<bool> ReturnBlockAsync(string block, string node);

    /// <summary>
    /// Resolves pending claims older than <paramref name="olderThan"/> (never one this activation is
    /// still making) and returns a crash interrupted; returns how many.
    /// </summary>
    Task<int> RepairPendingClaimsAsync(TimeSpan olderThan);

    /// <summary>
    /// Replaces the definition after an update and pushes reserved ranges to its blocks, all or
    /// nothing: <c>FailedPrecondition</c> naming a block and address when a held address lies in a
    /// new reserved range, and then no block changes. Claims wait while it runs. Idempotent.
    /// </summary>
    Task UpdateDefinitionAsync(PoolDefinition definition);

    /// <summary>
    /// Deletes the pool's state after returning every block; <c>FailedPrecondition</c> if any block
    /// holds an address. Claims in flight finish first; new ones fail while it runs.
    /// </summary>
    Task DeleteAsync();
}
