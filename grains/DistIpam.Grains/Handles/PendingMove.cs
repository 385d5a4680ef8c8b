using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Handles;

/// <summary>
/// A move into this handle that has started and not finished (<see cref="HandleGrain.MoveFromAsync"/>):
/// written before any block moves an address, so an address a block already holds for this handle
/// is known to be the handle's own while the record is not yet written. Ids are never reused or
/// renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PendingMove
{
    /// <summary>The handle the addresses come from.</summary>
    [Id(0)] public required string From { get; init; }

    /// <summary>The node both handles are on (a DEL without a node sweeps this one).</summary>
    [Id(1)] public required string Node { get; init; }

    /// <summary>The source's leases, under the sequence numbers the source held them.</summary>
    [Id(2)] public IReadOnlyList<AddressLease> Leases { get; init; } = [];
}
