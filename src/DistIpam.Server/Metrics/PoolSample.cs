namespace DistIpam.Server.Metrics;

/// <summary>One pool at one sampling time (immutable).</summary>
public sealed record PoolSample
{
    public required string Pool { get; init; }

    public required bool IsPodPool { get; init; }

    public long AtUnixMs { get; init; }

    /// <summary>Addresses in the CIDR (saturates at <see cref="double.MaxValue"/> precision for huge IPv6 pools).</summary>
    public double Size { get; init; }

    /// <summary>Addresses in reserved ranges.</summary>
    public double Reserved { get; init; }

    /// <summary>Addresses allocated (pods) or held (ClusterIPs).</summary>
    public long InUse { get; init; }

    /// <summary>Free addresses still in their release cooldown.</summary>
    public long Cooling { get; init; }

    /// <summary>Allocations of pods on another node than the block's owner.</summary>
    public long Borrowed { get; init; }

    public long BlocksClaimed { get; init; }

    /// <summary>Free addresses inside claimed blocks: usable only by the block's node (or by borrowing, which strict pools refuse).</summary>
    public long Stranded { get; init; }

    public bool StrictAffinity { get; init; }

    /// <summary>Addresses still allocatable: size less reserved, in use and cooling, and for strict pools the stranded ones.</summary>
    public double Allocatable => Math.Max(0, Size - Reserved - InUse - Cooling - (StrictAffinity ? Stranded : 0));
}
