namespace DistIpam.Grains.Services;

/// <summary>
/// A group of at most <c>MaxEndpointsPerSlice</c> endpoints of one service and one family, as
/// published in events and lists. Ids are never reused or renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EndpointSliceRecord
{
    /// <summary>The service's namespace.</summary>
    [Id(0)] public required string Namespace { get; init; }

    /// <summary>The service's name.</summary>
    [Id(1)] public required string Service { get; init; }

    /// <summary>The slice name, unique within the namespace ("service-v4-3"); never reused by the service.</summary>
    [Id(2)] public required string Name { get; init; }

    /// <summary>4 or 6.</summary>
    [Id(3)] public int Family { get; init; }

    /// <summary>The endpoints, each with this family's addresses only, in target order.</summary>
    [Id(4)] public IReadOnlyList<EndpointRecord> Endpoints { get; init; } = [];

    /// <summary>The feed version of the slice's last change.</summary>
    [Id(5)] public long Version { get; init; }
}
