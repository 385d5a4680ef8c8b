namespace DistIpam.Grains.Pools;

/// <summary>A route handed to the main plugin with an allocation. Ids are never renumbered.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteDefinition
{
    /// <summary>Destination CIDR.</summary>
    [Id(0)] public required string Destination { get; init; }

    /// <summary>Next hop, or null for the interface's gateway.</summary>
    [Id(1)] public string? Gateway { get; init; }
}
