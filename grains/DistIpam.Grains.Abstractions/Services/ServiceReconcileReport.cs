namespace DistIpam.Grains.Services;

/// <summary>What one pass of <see cref="IServiceReconcilerGrain.ReconcileAsync"/> did.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceReconcileReport
{
    /// <summary>ClusterIPs freed because their holder no longer held them (pool, address, holder).</summary>
    [Id(0)] public IReadOnlyList<HeldValue> FreedClusterIps { get; init; } = [];

    /// <summary>NodePorts freed because their holder no longer held them.</summary>
    [Id(1)] public IReadOnlyList<HeldValue> FreedNodePorts { get; init; } = [];

    /// <summary>Services whose durable change was not yet in the feed and has now been published.</summary>
    [Id(2)] public int PublishedServices { get; init; }

    /// <summary>Parts of the pass that failed (a range or service that did not answer); the next pass retries them.</summary>
    [Id(3)] public IReadOnlyList<string> Failures { get; init; } = [];
}
