using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Handles;

/// <summary>
/// Where a handle grain leaves addresses it could not release now (a rollback or a failed record
/// write met a storage outage): the silo retries them through
/// <see cref="IHandleGrain.ReleaseUnrecordedAsync"/> until done. The addresses themselves stay
/// recorded in their blocks, so a silo crash loses only the fast retry, not the obligation: the
/// periodic reconciliation scan finds them (docs/architecture.md, rule 10).
/// </summary>
public interface IDeferredReleases
{
    /// <summary>Queues a retry of releasing <paramref name="leases"/> unless the handle records them.</summary>
    void Enqueue(string handleId, IReadOnlyList<AddressLease> leases);
}
