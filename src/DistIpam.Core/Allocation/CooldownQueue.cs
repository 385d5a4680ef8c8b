namespace DistIpam.Core.Allocation;

/// <summary>
/// Released block offsets in release order (FIFO), with their release times. An intrusive doubly
/// linked list over arrays indexed by offset: enqueue, remove (when an address is taken again)
/// and peek-oldest are O(1) and allocation-free, and a block has at most 4096 offsets.
/// </summary>
/// <remarks>Not thread-safe; owned by one <see cref="BlockAllocator"/>.</remarks>
internal sealed class CooldownQueue
{
    private const int None = -1;

    private readonly int[] _next;
    private readonly int[] _previous;
    private readonly long[] _releasedAt;
    private readonly Bitmap _members;
    private int _head = None;
    private int _tail = None;

    /// <summary>An empty queue for offsets 0 to <paramref name="size"/> - 1.</summary>
    public CooldownQueue(int size)
    {
        _next = new int[size];
        _previous = new int[size];
        _releasedAt = new long[size];
        _members = new Bitmap(size);
    }

    /// <summary>How many offsets are queued.</summary>
    public int Count => _members.Count;

    /// <summary>True if <paramref name="offset"/> is queued.</summary>
    public bool Contains(int offset) => _members[offset];

    /// <summary>Queues <paramref name="offset"/> as the newest release; it must not be queued already.</summary>
    public void Enqueue(int offset, long releasedAtUnixMs)
    {
        if (!_members.Set(offset))
        {
            throw new InvalidOperationException($"offset {offset} is already cooling down");
        }

        _releasedAt[offset] = releasedAtUnixMs;
        _next[offset] = None;
        _previous[offset] = _tail;
        if (_tail == None)
        {
            _head = offset;
        }
        else
        {
            _next[_tail] = offset;
        }

        _tail = offset;
    }

    /// <summary>Removes <paramref name="offset"/> wherever it is; false if it was not queued.</summary>
    public bool Remove(int offset)
    {
        if (!_members.Clear(offset))
        {
            return false;
        }

        var next = _next[offset];
        var previous = _previous[offset];
        if (previous == None)
        {
            _head = next;
        }
        else
        {
            _next[previous] = next;
        }

        if (next == None)
        {
            _tail = previous;
        }
        else
        {
            _previous[next] = previous;
        }

        return true;
    }

    /// <summary>The earliest queued release, if any.</summary>
    public bool TryPeekOldest(out int offset, out long releasedAtUnixMs)
    {
        offset = _head;
        releasedAtUnixMs = _head == None ? 0 : _releasedAt[_head];
        return _head != None;
    }

    /// <summary>Every queued release, oldest first.</summary>
    public IEnumerable<CooldownEntry> Entries()
    {
        for (var offset = _head; offset != None; offset = _next[offset])
        {
            yield return new CooldownEntry(offset, _releasedAt[offset]);
        }
    }
}
