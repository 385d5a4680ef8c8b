using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Handles;

/// <summary>
/// One attachment (key <see cref="HandleKey"/>): the unit of idempotency for CNI ADD and DEL.
/// </summary>
public interface IHandleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Allocates one address per pool, all or nothing: if one pool fails, the addresses already
    /// taken are released before the error returns. Idempotent: a handle that already holds
    /// addresses from the same pools gets them back unchanged; asking for different pools or
    /// addresses than held fails with <c>FailedPrecondition</c> naming what is held. Answers only
    /// after the handle's record is durable.
    /// </summary>
    Task<HandleRecord> AllocateAsync(HandleAllocationRequest request);

    /// <summary>
    /// Releases every address of the handle and forgets it. Idempotent: an unknown handle succeeds
    /// with nothing released. With <paramref name="node"/> given and no record, the node's blocks
    /// are swept for addresses of this handle (an ADD whose record was never written).
    /// </summary>
    Task<IReadOnlyList<AddressLease>> ReleaseAsync(string? node);

    /// <summary>The record, or null if the handle holds nothing.</summary>
    Task<HandleRecord?> GetAsync();
}
