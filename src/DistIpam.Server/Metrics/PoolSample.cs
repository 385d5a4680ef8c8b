namespace DistIpam.Server.Metrics;

/// <summary>One pool at one sampling time (immutable; shared between silos through <see cref="IPoolSampleHistoryGrain"/>). Ids are never reused or renumbered.</summary>
[GenerateSerializer, Immutable]
public sealed record PoolSample
{
    [Id(0)] public required string Pool { get; init; }

    [Id(1)] public required bool IsPodPool { get; init; }

    [Id(2)] public long AtUnixMs { get; init; }

    /// <summary>Addresses in the CIDR (saturates at <see cref="double.MaxValue"/> precision for huge IPv6 pools).</summary>
    [Id(3)] public double Size { get; init; }

    /// <summary>Addresses in reserved ranges.</summary>
    [Id(4)] public double Reserved { get; init; }

    /// <summary>Addresses allocated (pods) or held (ClusterIPs).</summary>
    [Id(5)] public long InUse { get; init; }

    /// <summary>Free addresses still in their release cooldown.</summary>
    [Id(6)] public long Cooling { get; init; }

    /// <summary>Allocations of pods on another node than the block's owner.</summary>
    [Id(7)] public long Borrowed { get; init; }

    [Id(8)] public long BlocksClaimed { get; init; }

    /// <summary>Free addresses inside claimed blocks: usable only by the block's node (or by borrowing, which strict pools refuse).</summary>
    [Id(9)] public long Stranded { get; init; }

    [Id(10)] public bool StrictAffinity { get; init; }

    /// <summary>Addresses still allocatable: size less reserved, in use and cooling, and for strict pools the stranded ones.</summary>
    public double Allocatable => Math.Max(0, Size - Reserved - InUse - Cooling - (StrictAffinity ? Stranded : 0));
}
