using System.Diagnostics.Metrics;
using DistIpam.Api.V1;
using DistIpam.Server.Gc;

namespace DistIpam.Server.Metrics;

/// <summary>
/// Gauges over the last <see cref="PoolSampler"/> snapshot (per pool, per node, services) and the
/// GC controller's totals. Exported at /metrics with the <see cref="IpamMetrics.MeterName"/> meter.
/// </summary>
public sealed class PoolMetrics : IDisposable
{
    // Every kind is exported, at 0 when none: a series that vanishes cannot be alerted on.
    private static readonly string[] GcKinds = [GcCandidateState.HandleKind, GcCandidateState.NodeKind, GcCandidateState.CniAbsentKind, GcCandidateState.ClusterIpKind, GcCandidateState.NodePortKind];
    private readonly Meter _meter = new(IpamMetrics.MeterName);

    /// <summary>Creates the instruments.</summary>
    public PoolMetrics(PoolSampler sampler, GcController gc, Services.ServiceEventHub watchers)
    {
        ArgumentNullException.ThrowIfNull(watchers);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(gc);
        PoolGauge("distipam_pool_size", "Addresses in the pool's CIDR", sampler, s => s.Size);
        PoolGauge("distipam_pool_reserved", "Addresses in reserved ranges", sampler, s => s.Reserved);
        PoolGauge("distipam_pool_in_use", "Addresses allocated (pod pools) or held as ClusterIPs (service pools)", sampler, s => s.InUse);
        PoolGauge("distipam_pool_cooldown", "Free addresses still in their release cooldown", sampler, s => s.Cooling);
        PoolGauge("distipam_pool_borrowed", "Allocations of pods on another node than the block's owner", sampler, s => s.Borrowed);
        PoolGauge("distipam_pool_blocks_claimed", "Blocks claimed by nodes", sampler, s => s.BlocksClaimed);
        PoolGauge("distipam_pool_stranded", "Free addresses inside claimed blocks (usable only by the block's node, or by borrowing)", sampler, s => s.Stranded);
        PoolGauge("distipam_pool_allocatable", "Addresses still allocatable (less reserved, in use, cooling; strict pools: less stranded)", sampler, s => s.Allocatable);
        _meter.CreateObservableGauge("distipam_pool_exhaustion_seconds", () => sampler.Current.Pools.Select(p =>
            new Measurement<double>(Forecast.SecondsToFull(sampler.Current.History.GetValueOrDefault(p.Pool, [])), new KeyValuePair<string, object?>("pool", p.Pool))), unit: "s", description: "Time until the pool is full at its net allocation rate over the forecast window (+Inf: not filling)");
        _meter.CreateObservableGauge("distipam_node_allocations", () => sampler.Current.Nodes.Select(n =>
            new Measurement<long>(n.Allocations, new("node", n.Node), new("pool", n.Pool))), description: "Addresses allocated in the node's blocks");
        _meter.CreateObservableGauge("distipam_node_blocks", () => sampler.Current.Nodes.Select(n =>
            new Measurement<long>(n.Blocks, new("node", n.Node), new("pool", n.Pool))), description: "Blocks claimed for the node");
        _meter.CreateObservableGauge("distipam_nodeports_in_use", () => sampler.Current.NodePortsInUse, description: "NodePorts held by services");
        _meter.CreateObservableGauge("distipam_service_watchers", () => watchers.WatcherCount, description: "Service watches connected to this server");
        _meter.CreateObservableGauge("distipam_gc_candidates", () => CandidatesByKind(gc.Status), description: "Leak candidates the GC controller is watching, by kind");
        _meter.CreateObservableCounter("distipam_gc_addresses_released", () => gc.Status.AddressesReleased, description: "Addresses the GC controller released (handles without addresses, handles left out of a CNI GC, expired nodes drained)");
        _meter.CreateObservableCounter("distipam_gc_handles_released", () => gc.Status.HandlesReleased, description: "Handles the GC controller released");
        _meter.CreateObservableCounter("distipam_gc_nodes_drained", () => gc.Status.NodesDrained, description: "Expired nodes the GC controller drained");
        _meter.CreateObservableCounter("distipam_gc_spared", () => gc.Status.Spared, description: "GC candidates a re-check just before acting found live");
        _meter.CreateObservableCounter("distipam_gc_service_values_released", () => gc.Status.ServiceValuesReleased, description: "ClusterIPs and NodePorts the GC controller freed");
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> CandidatesByKind(GcStatus status) =>
        GcKinds.Select(kind => new Measurement<long>(status.Candidates.Count(c => c.Kind == kind), new KeyValuePair<string, object?>("kind", kind)));

    private void PoolGauge(string name, string description, PoolSampler sampler, Func<PoolSample, double> value) =>
        _meter.CreateObservableGauge(name, () => sampler.Current.Pools.Select(p => new Measurement<double>(value(p), new KeyValuePair<string, object?>("pool", p.Pool))), description: description);
}
