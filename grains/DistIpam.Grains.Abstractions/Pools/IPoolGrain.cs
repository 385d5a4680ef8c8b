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

    /// <summary>Removes a claim held by <paramref name="node"/> (after its block was retired).</summary>
    Task ReleaseClaimAsync(string block, string node);

    /// <summary>Resolves pending claims older than <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> RepairPendingClaimsAsync(TimeSpan olderThan);

    /// <summary>Replaces the definition after an update and pushes reserved ranges to its blocks.</summary>
    Task UpdateDefinitionAsync(PoolDefinition definition);

    /// <summary>Deletes the pool's state; <c>FailedPrecondition</c> if any block holds an address.</summary>
    Task DeleteAsync();
}
