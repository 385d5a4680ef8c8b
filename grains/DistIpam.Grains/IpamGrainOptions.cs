namespace DistIpam.Grains;

/// <summary>Tuning of the IPAM grains (configuration section <c>DistIpam:Grains</c>).</summary>
public sealed class IpamGrainOptions
{
    /// <summary>How long a released address rests before reuse while others are free. Default 30 s.</summary>
    public TimeSpan ReleaseCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node's block must stay empty before it goes back to the pool. Default 5 min.</summary>
    public TimeSpan EmptyBlockGracePeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a node looks for empty blocks to return. Default 1 min.</summary>
    public TimeSpan EmptyBlockCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A pending block claim older than this is repaired instead of waited for. Default 30 s.</summary>
    public TimeSpan PendingClaimRepairAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node grain trusts its copy of a pool definition. Default 5 s.</summary>
    public TimeSpan PoolDefinitionCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Test only: a deliberately broken variant (<c>DistIpam:Grains:UnsafeBrokenVariant</c>). The
    /// chaos suite's checker-can-fail test sets it to prove the checker sees a violation; every
    /// grain that group-commits logs a warning on activation while it is on. Default
    /// <see cref="BrokenVariant.None"/>.
    /// </summary>
    public BrokenVariant UnsafeBrokenVariant { get; set; } = BrokenVariant.None;
}
