namespace DistIpam.Server.Nodes;

/// <summary>Node leases (configuration section <c>DistIpam:Nodes</c>).</summary>
public sealed class NodeLeaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DistIpam:Nodes";

    /// <summary>
    /// A node without a heartbeat for this long is reported expired. Default 60 s: containerd 2.x
    /// calls CNI STATUS every few seconds, an agent heartbeats every 10 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);
}
