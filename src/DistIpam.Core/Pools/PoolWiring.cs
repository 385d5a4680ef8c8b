namespace DistIpam.Core.Pools;

/// <summary>
/// How pods of a pool are wired, which decides the prefix and gateway an allocation reports
/// (docs/cni.md, docs/core-api.md). Values are stable: they are stored and sent on the wire.
/// </summary>
public enum PoolWiring
{
    /// <summary>
    /// Pods share an on-link subnet per node bridge: an allocation reports its block's prefix
    /// (/26, /122) and the block's gateway, the first usable address, reserved when the block is
    /// claimed. A borrowed address's gateway is on another node, so use strict affinity.
    /// </summary>
    Bridged = 1,

    /// <summary>
    /// Pods get host routes: an allocation reports /32 or /128 and no gateway; the main plugin
    /// (ptp, a routing agent) supplies the link.
    /// </summary>
    Routed = 2,
}
