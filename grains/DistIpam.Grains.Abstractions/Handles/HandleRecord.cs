using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Handles;

/// <summary>The addresses one attachment holds, as acknowledged to the caller.</summary>
[GenerateSerializer, Immutable]
public sealed record HandleRecord
{
    /// <summary>The handle key.</summary>
    [Id(0)] public required string HandleId { get; init; }

    /// <summary>The node the pod runs on.</summary>
    [Id(1)] public required string Node { get; init; }

    /// <summary>One lease per pool, in request order.</summary>
    [Id(2)] public IReadOnlyList<AddressLease> Leases { get; init; } = [];
}
