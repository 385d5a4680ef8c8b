using DistIpam.Api.V1;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Nodes;

namespace DistIpam.Server.Nodes;

/// <summary>
/// The one drain path (Pools.ReleaseNode, Nodes.DrainNode and the GC controller's expired-node
/// release all use it): the node's handles first, then what its blocks still hold, then its blocks.
/// The GC's drain is bounded by the node's lease expiry: an ADD that came after it (the node lives)
/// keeps its addresses, however late in the drain it lands.
/// </summary>
public sealed partial class NodeDrainer(IGrainFactory grains, History.HistoryRecorder history, ILogger<NodeDrainer> logger)
{
    /// <summary>Drains <paramref name="node"/> whole; see <see cref="Pools.PoolsBase.ReleaseNode"/>.</summary>
    public Task<ReleaseNodeResponse> DrainAsync(string node, string reason) => DrainAsync(node, reason, long.MaxValue);

    /// <summary>
    /// Drains what <paramref name="node"/> allocated at or before <paramref name="allocatedAtOrBeforeUnixMs"/>:
    /// a handle with any address allocated later keeps all of them.
    /// </summary>
    public async Task<ReleaseNodeResponse> DrainAsync(string node, string reason, long allocatedAtOrBeforeUnixMs)
    {
        LogDraining(node, reason);
        var nodeGrain = grains.GetGrain<INodeGrain>(node);

        // The node's pods die with it, so their handle records go first: a record left behind would
        // keep Check passing and make a retried Allocate of that handle answer with an address the
        // drain freed and may since have handed to another pod. Releasing a handle frees by sequence.
        long released = 0;
        var handles = (await nodeGrain.ListAllocationsAsync())
            .GroupBy(l => l.HandleId, StringComparer.Ordinal)
            .Where(g => g.All(l => l.AllocatedAtUnixMs <= allocatedAtOrBeforeUnixMs))
            .Select(g => g.Key);
        foreach (var handle in handles)
        {
            var leases = await ReleaseHandleAsync(grains.GetGrain<IHandleGrain>(handle), allocatedAtOrBeforeUnixMs);
            released += leases.Count;
            history.Released(handle, leases, "drain", reason);
        }

        // Then whatever the node's blocks still hold (ADDs whose handle record was never written);
        // the history records exactly what the node grain freed.
        var result = await nodeGrain.ReleaseAllAsync(allocatedAtOrBeforeUnixMs);
        foreach (var group in result.Released.GroupBy(l => l.HandleId, StringComparer.Ordinal))
        {
            history.Released(group.Key, [.. group], "drain", reason + " (no handle record)");
        }

        if (result.AddressesSpared > 0)
        {
            LogSpared(node, result.AddressesSpared);
        }

        var response = new ReleaseNodeResponse { AddressesReleased = released + result.AddressesReleased, AddressesSpared = result.AddressesSpared };
        response.BlocksReleased.AddRange(result.BlocksReleased);
        return response;
    }

    private static async Task<IReadOnlyList<AddressLease>> ReleaseHandleAsync(IHandleGrain handle, long allocatedAtOrBeforeUnixMs)
    {
        if (allocatedAtOrBeforeUnixMs == long.MaxValue)
        {
            return await handle.ReleaseAsync(null);
        }

        // The handle checks in the release's turn that it still holds what was judged old: a DEL
        // and a new ADD since (new sequences, allocated after the bound) keep their addresses.
        var record = await handle.GetAsync();
        if (record is null || record.Leases.Any(l => l.AllocatedAtUnixMs > allocatedAtOrBeforeUnixMs))
        {
            return [];
        }

        return await handle.ReleaseIfHoldsAsync(record.Leases) ?? [];
    }

    [LoggerMessage(EventId = 14000, Level = LogLevel.Warning, Message = "Draining node {Node}: {Reason}")]
    private partial void LogDraining(string node, string reason);

    [LoggerMessage(EventId = 14002, Level = LogLevel.Warning, Message = "Drain of node {Node} kept {Addresses} address(es) allocated after the node was judged dead")]
    private partial void LogSpared(string node, long addresses);
}
