namespace DistIpam.Grains.Services;

/// <summary>
/// A create or update of a service, validated syntactically at the edge. Empty lists and zero
/// values mean "not set": the grain applies Kubernetes defaults.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceRequest
{
    /// <summary>ClusterIP (default), NodePort or Headless.</summary>
    [Id(0)] public ServiceType Type { get; init; }

    /// <summary>Unspecified = SingleStack on create; on update, keeps nothing: unspecified is SingleStack.</summary>
    [Id(1)] public IpFamilyPolicy Policy { get; init; }

    /// <summary>Requested families (4/6), primary first, at most two, distinct.</summary>
    [Id(2)] public IReadOnlyList<int> Families { get; init; } = [];

    /// <summary>Requested ClusterIPs, at most two, of distinct families.</summary>
    [Id(3)] public IReadOnlyList<string> ClusterIps { get; init; } = [];

    /// <summary>Ports; <see cref="ServicePortRecord.NodePort"/> 0 = allocate (NodePort services).</summary>
    [Id(4)] public IReadOnlyList<ServicePortRecord> Ports { get; init; } = [];

    /// <summary>Labels.</summary>
    [Id(5)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The service pools to allocate from, at most one per family; the first one's family is the default primary.</summary>
    [Id(6)] public IReadOnlyList<ServicePool> Pools { get; init; } = [];
}
