using DistIpam.Grains.Blocks;

namespace DistIpam.Server.History;

/// <summary>
/// Turns allocations and releases into history events for <see cref="HistoryWriter"/>.
/// Where history is written, and why (docs/operations.md, "IP history"): not on the ADD's path
/// (awaiting three more grain writes halved dual-stack ADD throughput here), but queued once the
/// grain made the change durable. Nothing acknowledged is lost silently: every fact an
/// "allocated" event holds (address, sequence, handle, node, pod, time) is in the block's durable
/// allocation record, and the pool sampler rebuilds missing events from it after a start or a
/// failed write. A release lost with a crash is implied by the address's next allocation, with
/// a higher sequence. Every path that frees addresses calls <see cref="Released"/>, so it is also
/// where <c>distipam_releases_total</c> is counted (whether history is enabled or not).
/// </summary>
public sealed class HistoryRecorder(HistoryWriter writer, HistoryOptions options, Metrics.IpamMetrics metrics, TimeProvider time)
{
    private const int RecentCount = 100;

    // Read by the dashboard while request threads add: an immutable list swapped by reference.
    private System.Collections.Immutable.ImmutableList<HistoryEvent> _recent = [];

    /// <summary>The last allocations and releases this server recorded, oldest first (for the dashboard).</summary>
    public IReadOnlyList<HistoryEvent> Recent => Volatile.Read(ref _recent);

    /// <summary>Records <paramref name="leases"/> as allocated to <paramref name="handle"/>.</summary>
    public void Allocated(string handle, string? node, IReadOnlyList<AddressLease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (options.Enabled && leases.Count > 0)
        {
            Publish(handle, [.. leases.Select(l => EventOf(HistoryEventKind.Allocated, handle, l, node, null, null) with { AtUnixMs = l.AllocatedAtUnixMs == 0 ? Now : l.AllocatedAtUnixMs })]);
        }
    }

    /// <summary>
    /// Records <paramref name="leases"/> as freed by <paramref name="actor"/> because of <paramref name="reason"/>,
    /// and counts them in <c>distipam_releases_total</c> under <see cref="Metrics.ReleaseReasons.Of"/>(<paramref name="actor"/>).
    /// </summary>
    public void Released(string handle, IReadOnlyList<AddressLease> leases, string actor, string reason)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (leases.Count > 0)
        {
            metrics.Releases.Add(leases.Count, new KeyValuePair<string, object?>("reason", Metrics.ReleaseReasons.Of(actor)));
        }

        Record(handle, leases, actor, reason);
    }

    /// <summary>Records <paramref name="leases"/> as released from <paramref name="handle"/> by a move to <paramref name="to"/>: not freed, so not counted.</summary>
    public void Moved(string handle, IReadOnlyList<AddressLease> leases, string to)
    {
        ArgumentNullException.ThrowIfNull(leases);
        Record(handle, leases, "Ipam.MoveHandle", $"moved to handle '{to}'");
    }

    /// <summary>Queues "allocated" events for block allocations made since the writer's backfill mark (called by the pool sampler with every allocation it lists).</summary>
    public void Backfill(IEnumerable<AddressLease> leases, long sinceUnixMs)
    {
        ArgumentNullException.ThrowIfNull(leases);
        foreach (var group in leases.Where(l => l.AllocatedAtUnixMs >= sinceUnixMs).GroupBy(l => l.HandleId, StringComparer.Ordinal))
        {
            if (options.Enabled)
            {
                writer.Enqueue(group.Key, [.. group.Select(l => EventOf(HistoryEventKind.Allocated, group.Key, l, null, null, null) with { AtUnixMs = l.AllocatedAtUnixMs })]);
            }
        }
    }

    private void Record(string handle, IReadOnlyList<AddressLease> leases, string actor, string reason)
    {
        if (options.Enabled && leases.Count > 0)
        {
            Publish(handle, [.. leases.Select(l => EventOf(HistoryEventKind.Released, handle, l, null, actor, reason))]);
        }
    }

    private void Publish(string handle, List<HistoryEvent> events)
    {
        writer.Enqueue(handle, events);
        System.Collections.Immutable.ImmutableList<HistoryEvent> seen, next;
        do
        {
            seen = Volatile.Read(ref _recent);
            next = seen.AddRange(events);
            next = next.Count > RecentCount ? next.RemoveRange(0, next.Count - RecentCount) : next;
        }
        while (Interlocked.CompareExchange(ref _recent, next, seen) != seen);
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

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
}
