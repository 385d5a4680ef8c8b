using System.Collections.Immutable;

namespace DistIpam.Server.Metrics;

/// <summary>One sampling round plus the forecast window's history (immutable).</summary>
/// <param name="Pools">Each pool now.</param>
/// <param name="Nodes">Each node's share of each pod pool now.</param>
/// <param name="NodePortsInUse">NodePorts held.</param>
/// <param name="History">Per pool, the samples of the forecast window, oldest first.</param>
public sealed record SampleSet(
    ImmutableArray<PoolSample> Pools,
    ImmutableArray<NodeSample> Nodes,
    long NodePortsInUse,
    ImmutableDictionary<string, ImmutableList<PoolSample>> History)
{
    /// <summary>Nothing sampled yet.</summary>
    public static SampleSet Empty { get; } = new([], [], 0, ImmutableDictionary<string, ImmutableList<PoolSample>>.Empty);
}
