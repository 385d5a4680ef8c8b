using System.Net;

namespace DistIpam.Core.Allocation;

/// <summary>One address held in a block: by whom, under which sequence number, since when.</summary>
/// <param name="Address">The allocated address.</param>
/// <param name="Offset">Its offset from the block's network address.</param>
/// <param name="HandleId">The handle (network/container/interface) that holds it.</param>
/// <param name="Sequence">
/// The block-wide, strictly increasing number of this allocation. Release and garbage collection
/// name it, so a stale release cannot free the address after it was handed to someone else.
/// </param>
/// <param name="Attributes">Pod and node identity of the holder.</param>
/// <param name="AllocatedAt">When it was allocated, to the millisecond (what the snapshot keeps).</param>
public sealed record AllocationRecord(
    IPAddress Address,
    int Offset,
    string HandleId,
    ulong Sequence,
    AllocationAttributes Attributes,
    DateTimeOffset AllocatedAt);
