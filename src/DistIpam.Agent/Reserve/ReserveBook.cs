using DistIpam.Api.V1;

namespace DistIpam.Agent.Reserve;

/// <summary>
/// The reserve's state as the journal tells it, rebuilt by <see cref="Apply"/> from every record in
/// order (at start) and kept current by the same method afterwards: one set of rules for replay and
/// for live changes. Not thread-safe: <see cref="WarmReserve"/> holds <see cref="Gate"/>.
/// </summary>
public sealed class ReserveBook
{
    private readonly LinkedList<long> _free = new();
    private readonly Dictionary<long, AllocateResponse> _filled = [];
    private readonly Dictionary<long, SlotAssigned> _assigned = [];
    private readonly HashSet<long> _confirmed = [];
    private readonly HashSet<long> _filling = [];
    private readonly Dictionary<string, long> _byHandle = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, PendingRelease> _releases = [];
    private readonly HashSet<long> _releasing = [];
    private readonly Dictionary<string, Handle> _forwarded = new(StringComparer.Ordinal);

    /// <summary>Held while reading or changing the book.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The next slot number never used.</summary>
    public long NextSlot { get; private set; }

    /// <summary>The next pending-release id never used.</summary>
    public long NextReleaseId { get; private set; }

    /// <summary>Slots ready to be given to a pod.</summary>
    public int FreeCount => _free.Count;

    /// <summary>Slots being reserved at the server.</summary>
    public IReadOnlyCollection<long> Filling => _filling;

    /// <summary>Free slots, oldest first.</summary>
    public IReadOnlyCollection<long> Free => _free;

    /// <summary>A key for a handle (network, container, interface).</summary>
    public static string Key(Handle handle) => $"{handle.Network}|{handle.ContainerId}|{handle.Interface}";

    /// <summary>The slot given to <paramref name="handle"/> and not released, if any.</summary>
    public bool TryGetAssigned(Handle handle, out long slot) => _byHandle.TryGetValue(Key(handle), out slot);

    /// <summary>Whether an ADD of <paramref name="handle"/> went to the server (its repeats must too).</summary>
    public bool WasForwarded(Handle handle) => _forwarded.ContainsKey(Key(handle));

    /// <summary>The addresses of <paramref name="slot"/>.</summary>
    public AllocateResponse Addresses(long slot) => _filled[slot];

    /// <summary>The pod request a slot was given to.</summary>
    public AllocateRequest AssignedRequest(long slot) => _assigned[slot].Request;

    /// <summary>Whether the pod's handle holds the slot's addresses at the server.</summary>
    public bool IsConfirmed(long slot) => _confirmed.Contains(slot);

    /// <summary>Assigned slots the server does not know about yet, oldest first.</summary>
    public List<long> Unconfirmed() => [.. _assigned.Keys.Where(s => !_confirmed.Contains(s) && !_releasing.Contains(s)).Order()];

    /// <summary>DELs not yet done at the server, in order.</summary>
    public List<PendingRelease> PendingReleases() => [.. _releases.Values];

    /// <summary>Pending DELs.</summary>
    public int PendingReleaseCount => _releases.Count;

    /// <summary>Free slots holding an IPv4 address, and those holding an IPv6 address.</summary>
    public (int V4, int V6) FreeByFamily()
    {
        var (v4, v6) = (0, 0);
        foreach (var slot in _free)
        {
            foreach (var address in _filled[slot].Addresses)
            {
                if (address.Address.Contains(':', StringComparison.Ordinal))
                {
                    v6++;
                }
                else
                {
                    v4++;
                }
            }
        }

        return (v4, v6);
    }

    /// <summary>The oldest free slot, taken out of the free list (the caller journals the assignment).</summary>
    public long? TakeFree()
    {
        if (_free.First is not { } first)
        {
            return null;
        }

        _free.RemoveFirst();
        return first.Value;
    }

    /// <summary>Removes <paramref name="slot"/> from the free list (the caller journals why).</summary>
    public void TakeFreeSlot(long slot) => _free.Remove(slot);

    /// <summary>Applies one record (replayed or new).</summary>
    public void Apply(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (record.EntryCase)
        {
            case JournalRecord.EntryOneofCase.FillStarted:
                _filling.Add(record.FillStarted);
                NextSlot = Math.Max(NextSlot, record.FillStarted + 1);
                break;
            case JournalRecord.EntryOneofCase.Filled:
                _filling.Remove(record.Filled.Slot);
                _filled[record.Filled.Slot] = record.Filled.Response;
                if (!_assigned.ContainsKey(record.Filled.Slot) && !_free.Contains(record.Filled.Slot))
                {
                    _free.AddLast(record.Filled.Slot);
                }

                NextSlot = Math.Max(NextSlot, record.Filled.Slot + 1);
                break;
            case JournalRecord.EntryOneofCase.Assigned:
                _free.Remove(record.Assigned.Slot);
                _assigned[record.Assigned.Slot] = record.Assigned;
                _byHandle[Key(record.Assigned.Request.Handle)] = record.Assigned.Slot;
                break;
            case JournalRecord.EntryOneofCase.Confirmed:
                _confirmed.Add(record.Confirmed);
                break;
            case JournalRecord.EntryOneofCase.Dropped:
                Drop(record.Dropped);
                break;
            case JournalRecord.EntryOneofCase.Release:
                _releases[record.Release.Id] = record.Release;
                NextReleaseId = Math.Max(NextReleaseId, record.Release.Id + 1);
                if (record.Release.HasSlot)
                {
                    // The worker settles the slot at the server (confirmed: the pod's handle is released; else the reserve's).
                    _byHandle.Remove(Key(record.Release.Request.Handle));
                    _releasing.Add(record.Release.Slot);
                }

                break;
            case JournalRecord.EntryOneofCase.Released:
                _releases.Remove(record.Released);
                break;
            case JournalRecord.EntryOneofCase.Forwarded:
                _forwarded[Key(record.Forwarded)] = record.Forwarded;
                break;
            case JournalRecord.EntryOneofCase.Forgotten:
                _forwarded.Remove(Key(record.Forgotten));
                break;
            default:
                break;
        }
    }

    /// <summary>The records that rebuild this state (what a compacted journal holds).</summary>
    public IEnumerable<JournalRecord> Snapshot()
    {
        foreach (var slot in _filling)
        {
            yield return new JournalRecord { FillStarted = slot };
        }

        foreach (var (slot, response) in _filled.OrderBy(p => p.Key))
        {
            yield return new JournalRecord { Filled = new SlotFilled { Slot = slot, Response = response } };
            if (_assigned.TryGetValue(slot, out var assigned))
            {
                yield return new JournalRecord { Assigned = assigned };
                if (_confirmed.Contains(slot))
                {
                    yield return new JournalRecord { Confirmed = slot };
                }
            }
        }

        foreach (var release in _releases.Values)
        {
            yield return new JournalRecord { Release = release };
        }

        foreach (var handle in _forwarded.Values)
        {
            yield return new JournalRecord { Forwarded = handle };
        }

        // The counters survive compaction even when every slot is gone.
        yield return new JournalRecord { FillStarted = NextSlot };
        yield return new JournalRecord { Dropped = NextSlot };
    }

    private void Drop(long slot)
    {
        _filling.Remove(slot);
        _free.Remove(slot);
        _filled.Remove(slot);
        if (_assigned.Remove(slot, out var assigned) && _byHandle.TryGetValue(Key(assigned.Request.Handle), out var held) && held == slot)
        {
            _byHandle.Remove(Key(assigned.Request.Handle));
        }

        _confirmed.Remove(slot);
        _releasing.Remove(slot);
        NextSlot = Math.Max(NextSlot, slot + 1);
    }
}
