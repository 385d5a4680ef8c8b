namespace DistIpam.Grains.Services;

/// <summary>
/// The ClusterIPs and NodePorts a service's durable state holds (what
/// <see cref="IServiceGrain.HoldingsAsync"/> answers to the reconciliation of the range grains).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceHoldings
{
    /// <summary>The ClusterIPs, as text.</summary>
    [Id(0)] public IReadOnlyList<string> ClusterIps { get; init; } = [];

    /// <summary>The NodePorts.</summary>
    [Id(1)] public IReadOnlyList<int> NodePorts { get; init; } = [];

    /// <summary>Nothing held (the service does not exist).</summary>
    public static ServiceHoldings None { get; } = new();
}
