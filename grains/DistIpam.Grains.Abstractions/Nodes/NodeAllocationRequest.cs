using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Nodes;

/// <summary>One address from one pool for one handle on a node.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeAllocationRequest
{
    /// <summary>The pool to allocate from.</summary>
    [Id(0)] public required string Pool { get; init; }

    /// <summary>The handle that will hold the address.</summary>
    [Id(1)] public required string HandleId { get; init; }

    /// <summary>A specific address wanted, or null for any.</summary>
    [Id(2)] public string? RequestedAddress { get; init; }

    /// <summary>Recorded with the allocation.</summary>
    [Id(3)] public PodIdentity Pod { get; init; } = PodIdentity.None;
}
