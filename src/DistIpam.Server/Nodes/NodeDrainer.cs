using DistIpam.Api.V1;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Nodes;

namespace DistIpam.Server.Nodes;

/// <summary>
/// The one drain path (Pools.ReleaseNode, Nodes.DrainNode and the GC controller's expired-node
/// release all use it): the node's handles first, then what its blocks still hold, then its blocks.
/// </summary>
public sealed partial class NodeDrainer(IGrainFactory grains, History.HistoryRecorder history, ILogger<NodeDrainer> logger)
{
    /// <summary>Drains <paramref name="node"/>; see <see cref="Pools.PoolsBase.ReleaseNode"/>.</summary>
    public async Task<ReleaseNodeResponse> DrainAsync(string node, string reason)
    {
        LogDraining(node, reason);
        var nodeGrain = grains.GetGrain<INodeGrain>(node);

        // The node's pods die with it, so their handle records go first: a record left behind would
        // keep Check passing and make a retried Allocate of that handle answer with an address the
        // drain freed and may since have handed to another pod. Releasing a handle frees by sequence.
        long released = 0;
        var handles = (await nodeGrain.ListAllocationsAsync()).Select(l => l.HandleId).Distinct(StringComparer.Ordinal);
        foreach (var handle in handles)
        {
            var leases = await grains.GetGrain<IHandleGrain>(handle).ReleaseAsync(null);
            released += leases.Count;
            history.Released(handle, leases, "drain", reason);
        }

        // Then whatever the node's blocks still hold (ADDs whose handle record was never written).
        var leftovers = await nodeGrain.ListAllocationsAsync();
        var result = await nodeGrain.ReleaseAllAsync();
        foreach (var group in leftovers.GroupBy(l => l.HandleId, StringComparer.Ordinal))
        {
            history.Released(group.Key, [.. group], "drain", reason + " (no handle record)");
        }

        var response = new ReleaseNodeResponse { AddressesReleased = released + result.AddressesReleased };
        response.BlocksReleased.AddRange(result.BlocksReleased);
        return response;
    }

    [LoggerMessage(EventId = 14000, Level = LogLevel.Warning, Message = "Draining node {Node}: {Reason}")]
    private partial void LogDraining(string node, string reason);
}
