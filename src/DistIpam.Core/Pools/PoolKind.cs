namespace DistIpam.Core.Pools;

/// <summary>What a pool's addresses are for. Values are stable: they are stored and sent on the wire.</summary>
public enum PoolKind
{
    /// <summary>Pod addresses, handed out per node from affine blocks.</summary>
    Pod = 1,

    /// <summary>Service ClusterIPs, handed out cluster-wide by the service range allocator.</summary>
    Service = 2,
}
