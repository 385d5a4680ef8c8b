namespace DistIpam.Grains.Pools;

/// <summary>
/// The list of pools (single key <see cref="Key"/>). Not on the allocation hot path: it is read
/// when pools are managed and cached by each silo. Validation (fields, overlaps) happens here, so
/// a refused change changes nothing.
/// </summary>
public interface IPoolCatalogGrain : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    const string Key = "catalog";

    /// <summary>Creates a pool; <c>AlreadyExists</c> if the name is taken, <c>InvalidArgument</c> naming the field.</summary>
    Task<PoolDefinition> CreateAsync(PoolDefinition definition);

    /// <summary>
    /// Creates the pool if absent; if present with the same immutable fields, keeps it unchanged; if
    /// present with a different CIDR, block size, kind or wiring, fails with <c>FailedPrecondition</c>.
    /// Used for bootstrap at start-up.
    /// </summary>
    Task<PoolDefinition> EnsureAsync(PoolDefinition definition);

    /// <summary>Updates the mutable fields; <c>FailedPrecondition</c> if an immutable one changes.</summary>
    Task<PoolDefinition> UpdateAsync(PoolDefinition definition);

    /// <summary>Deletes a pool; <c>FailedPrecondition</c> while it has allocations, <c>NotFound</c> if absent.</summary>
    Task DeleteAsync(string name);

    /// <summary>One pool or null.</summary>
    Task<PoolDefinition?> GetAsync(string name);

    /// <summary>Every pool, by name.</summary>
    Task<IReadOnlyList<PoolDefinition>> ListAsync();
}
