namespace DistIpam.Agent.Reserve;

/// <summary>
/// Acts on a drain of this node at the server, as the heartbeat reports it (the node's last drain
/// time, nodes.proto): the drain released every reserve slot, so every free slot is dropped at once
/// (journaled, so a restart does not bring them back) and the reserve is not refilled again until the
/// agent restarts. An operator who drains a node is taking its addresses away; refilling behind their
/// back would undo that. Meanwhile ADDs go to the server, as with an empty reserve (docs/agent.md).
/// </summary>
public sealed partial class DrainGuard(ReserveBook book, Journal journal, ILogger<DrainGuard> logger)
{
    private long? _lastDrainSeen;
    private volatile bool _drained;

    /// <summary>Whether a drain was seen since this agent started: no more refills.</summary>
    public bool Drained => _drained;

    /// <summary>
    /// Called with every heartbeat answer. The first sets the baseline (a drain before this agent
    /// started is the start-up verification's business); a later, newer drain time drops the reserve.
    /// </summary>
    public async Task ObserveAsync(long lastDrainedAtUnixMs, string reason)
    {
        if (_lastDrainSeen is not { } seen)
        {
            _lastDrainSeen = lastDrainedAtUnixMs;
            return;
        }

        if (lastDrainedAtUnixMs <= seen)
        {
            return;
        }

        _lastDrainSeen = lastDrainedAtUnixMs;
        _drained = true;
        var written = new List<Task>();
        int dropped;
        lock (book.Gate)
        {
            var free = book.Free.ToList();
            dropped = free.Count;
            foreach (var slot in free)
            {
                book.TakeFreeSlot(slot);
                var record = new JournalRecord { Dropped = slot };
                book.Apply(record);
                written.Add(journal.Enqueue(record));
            }
        }

        journal.Commit();
        await Task.WhenAll(written).ConfigureAwait(false);
        LogDrained(logger, dropped, reason);
    }

    [LoggerMessage(EventId = 15102, Level = LogLevel.Warning, Message = "This node was drained at the server ({Reason}): {Slots} free reserve slots dropped; the reserve stays off until the agent restarts")]
    private static partial void LogDrained(ILogger logger, int slots, string reason);
}
