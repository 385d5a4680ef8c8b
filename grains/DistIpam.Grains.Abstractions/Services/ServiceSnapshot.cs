namespace DistIpam.Grains.Services;

/// <summary>A service with its endpoint slices.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceSnapshot
{
    /// <summary>The service.</summary>
    [Id(0)] public required ServiceRecord Service { get; init; }

    /// <summary>Its slices by family, then creation order.</summary>
    [Id(1)] public IReadOnlyList<EndpointSliceRecord> Slices { get; init; } = [];
}
