namespace DistIpam.Grains.Services;

/// <summary>
/// A service as stored and as published in events. Ids are never reused or renumbered (stored state).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceRecord
{
    /// <summary>DNS-1123 label.</summary>
    [Id(0)] public required string Namespace { get; init; }

    /// <summary>DNS-1123 label.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>ClusterIP, NodePort or Headless.</summary>
    [Id(2)] public ServiceType Type { get; init; } = ServiceType.ClusterIp;

    /// <summary>The resolved family policy (never Unspecified).</summary>
    [Id(3)] public IpFamilyPolicy Policy { get; init; } = IpFamilyPolicy.SingleStack;

    /// <summary>4 and/or 6, primary first.</summary>
    [Id(4)] public IReadOnlyList<int> Families { get; init; } = [];

    /// <summary>One per family, in <see cref="Families"/> order; empty for headless services.</summary>
    [Id(5)] public IReadOnlyList<string> ClusterIps { get; init; } = [];

    /// <summary>The service pool each ClusterIP came from, in the same order.</summary>
    [Id(6)] public IReadOnlyList<string> Pools { get; init; } = [];

    /// <summary>The ports with their NodePorts.</summary>
    [Id(7)] public IReadOnlyList<ServicePortRecord> Ports { get; init; } = [];

    /// <summary>Labels (for list and watch selectors).</summary>
    [Id(8)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The feed version of the service's last change.</summary>
    [Id(9)] public long Version { get; init; }

    /// <summary>The "namespace/name" key.</summary>
    public string Key => ServiceKey.Of(Namespace, Name);
}
