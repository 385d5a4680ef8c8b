namespace DistIpam.Grains.Services;

/// <summary>A service pool the edge resolved for a request: its name, CIDR and family (4 or 6).</summary>
[GenerateSerializer, Immutable]
public sealed record ServicePool
{
    /// <summary>The pool name (also the key of its ClusterIP range grain).</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>The pool's CIDR, canonical text.</summary>
    [Id(1)] public required string Cidr { get; init; }

    /// <summary>4 or 6.</summary>
    [Id(2)] public int Family { get; init; }
}
