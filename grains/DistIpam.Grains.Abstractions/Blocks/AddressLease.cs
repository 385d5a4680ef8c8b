namespace DistIpam.Grains.Blocks;

/// <summary>
/// One address held by one handle: what a block hands out and a handle records. The sequence
/// number makes releases safe against reuse (a release naming an old sequence frees nothing).
/// Ids are never reused or renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AddressLease
{
    /// <summary>The pool name.</summary>
    [Id(0)] public required string Pool { get; init; }

    /// <summary>The block CIDR.</summary>
    [Id(1)] public required string Block { get; init; }

    /// <summary>The address (no prefix length).</summary>
    [Id(2)] public required string Address { get; init; }

    /// <summary>The allocation's sequence number within its block.</summary>
    [Id(3)] public ulong Sequence { get; init; }

    /// <summary>The handle holding the address.</summary>
    [Id(4)] public required string HandleId { get; init; }

    /// <summary>The block's gateway, if the pool is bridged.</summary>
    [Id(5)] public string? Gateway { get; init; }

    /// <summary>The node that owns the block (may differ from the pod's node when borrowed).</summary>
    [Id(6)] public string? BlockOwner { get; init; }

    /// <summary>Allocatable addresses still free in the block after this allocation (a hint).</summary>
    [Id(7)] public int FreeAfter { get; init; }

    /// <summary>Who the address is for (node, pod), as recorded at allocation.</summary>
    [Id(8)] public PodIdentity Pod { get; init; } = PodIdentity.None;

    /// <summary>The block's prefix length (the prefix bridged pods configure).</summary>
    [Id(9)] public int BlockPrefixLength { get; init; }

    /// <summary>When the address was allocated (Unix ms).</summary>
    [Id(10)] public long AllocatedAtUnixMs { get; init; }
}
