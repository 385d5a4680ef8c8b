namespace DistIpam.Server.Nodes;

/// <summary>One node's liveness lease (key = node name). Separate from the node's block grain so heartbeats never wait on allocations.</summary>
public interface INodeLeaseGrain : IGrainWithStringKey
{
    /// <summary>
    /// Renews the lease. Writes only when the recorded facts change or the written last-seen time is
    /// older than half a lease (so thousands of nodes heartbeating cost a few writes per second),
    /// and answers after that write. The first heartbeat registers the node.
    /// </summary>
    Task<NodeLease> HeartbeatAsync(IReadOnlyList<string> addresses, string agentVersion, TimeSpan leaseDuration);

    /// <summary>
    /// Renews the lease and nothing else (the CNI STATUS verb, which knows no addresses or agent):
    /// the addresses and agent version an agent's heartbeat recorded are kept. Writes as
    /// <see cref="HeartbeatAsync"/> does; the first renewal registers the node with agent version
    /// <paramref name="firstAgentVersion"/>.
    /// </summary>
    Task<NodeLease> RenewAsync(string firstAgentVersion, TimeSpan leaseDuration);

    /// <summary>The lease, or null if the node never sent a heartbeat and was never drained.</summary>
    Task<NodeLease?> GetAsync();

    /// <summary>Records a drain (durably); a later heartbeat revives the node.</summary>
    Task MarkDrainedAsync(string reason);
}
