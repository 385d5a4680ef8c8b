using DistIpam.Grains.Blocks;
using Grpc.Core;

namespace DistIpam.Server.History;

/// <summary>
/// Appends allocations and releases to the per-address and per-handle histories.
/// Where it is written, and why: at the gRPC edge, after the grain made the change durable and
/// before the caller hears of it. An allocation whose history cannot be written is not
/// acknowledged (UNAVAILABLE; the caller's retry of the same handle gets the same addresses and
/// writes the history then), so an acknowledged allocation always has its history. A release is
/// recorded best effort: it has already happened and a runtime's retried DEL finds nothing to
/// release, so a failure is logged (event 14110) and the address's next allocation, with a higher
/// sequence, shows that it was freed in between (docs/operations.md, "IP history").
/// </summary>
public sealed partial class HistoryRecorder(IGrainFactory grains, HistoryOptions options, TimeProvider time, ILogger<HistoryRecorder> logger)
{
    /// <summary>Records <paramref name="leases"/> as allocated to <paramref name="handle"/>; UNAVAILABLE when it cannot.</summary>
    public async Task AllocatedAsync(string handle, string node, IReadOnlyList<AddressLease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (!options.Enabled || leases.Count == 0)
        {
            return;
        }

        var events = leases.Select(l => EventOf(HistoryEventKind.Allocated, handle, l, node, null, null) with { AtUnixMs = l.AllocatedAtUnixMs == 0 ? Now : l.AllocatedAtUnixMs }).ToList();
        try
        {
            await AppendAsync(handle, events);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAllocationHistoryFailed(handle, e.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"the allocation of handle '{handle}' is durable but its history could not be written ({e.Message}); retry the same request"));
        }
    }

    /// <summary>Records <paramref name="leases"/> as released by <paramref name="actor"/> because of <paramref name="reason"/>; never throws.</summary>
    public async Task ReleasedAsync(string handle, IReadOnlyList<AddressLease> leases, string actor, string reason)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (!options.Enabled || leases.Count == 0)
        {
            return;
        }

        try
        {
            await AppendAsync(handle, [.. leases.Select(l => EventOf(HistoryEventKind.Released, handle, l, null, actor, reason))]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReleaseHistoryFailed(handle, string.Join(", ", leases.Select(l => l.Address)), e.Message);
        }
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task AppendAsync(string handle, List<HistoryEvent> events)
    {
        var writes = events.Select(e => grains.GetGrain<IAddressHistoryGrain>(e.Address).AppendAsync([e])).ToList();
        writes.Add(grains.GetGrain<IHandleHistoryGrain>(handle).AppendAsync(events));
        await Task.WhenAll(writes);
    }

    private HistoryEvent EventOf(HistoryEventKind kind, string handle, AddressLease lease, string? node, string? actor, string? reason) => new()
    {
        Kind = kind,
        AtUnixMs = Now,
        Address = lease.Address,
        Pool = lease.Pool,
        Block = lease.Block,
        Sequence = lease.Sequence,
        Handle = handle,
        Node = lease.Pod.Node ?? node,
        PodNamespace = lease.Pod.Namespace,
        PodName = lease.Pod.Name,
        PodUid = lease.Pod.Uid,
        Actor = actor,
        Reason = reason,
    };

    [LoggerMessage(EventId = 14111, Level = LogLevel.Warning, Message = "History of the allocation of handle {Handle} could not be written; the allocation is not acknowledged: {Reason}")]
    private partial void LogAllocationHistoryFailed(string handle, string reason);

    [LoggerMessage(EventId = 14110, Level = LogLevel.Warning, Message = "History of the release of {Addresses} (handle {Handle}) could not be written: {Reason}")]
    private partial void LogReleaseHistoryFailed(string handle, string addresses, string reason);
}
