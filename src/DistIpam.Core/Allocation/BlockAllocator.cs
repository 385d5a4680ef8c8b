using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Allocation;

/// <summary>
/// The addresses of one block (/20-/32 or /116-/128): which are taken, by which handle, under
/// which sequence number, and which were released recently. Pure and deterministic given the
/// <see cref="TimeProvider"/>; a BlockGrain owns one, applies mutations in order and persists
/// <see cref="ToSnapshot"/>.
/// </summary>
/// <remarks>
/// <para>Never hands out the network address, the IPv4 broadcast address, a reserved address or
/// the gateway. A handle holds at most one address per block.</para>
/// <para>Order: a next-fit cursor walks the block round robin, so a released address goes to the
/// back of the line. An address released less than <see cref="BlockAllocatorOptions.ReleaseCooldown"/>
/// ago is skipped while any other address is free; when only cooling addresses are free, the one
/// released longest ago is used.</para>
/// <para>Every failing call throws before changing anything. Not thread-safe.</para>
/// </remarks>
public sealed partial class BlockAllocator
{
    private readonly BlockLayout _layout;
    private readonly TimeProvider _time;
    private readonly long _cooldownTicks;
    private readonly AllocationRecord?[] _records;
    private readonly Dictionary<string, int> _offsetByHandle = new(StringComparer.Ordinal);
    private readonly Bitmap _used;

    // Excluded, used or cooling: what the next-fit scan passes over. The three sets are disjoint.
    private readonly Bitmap _skipped;
    private readonly CooldownQueue _cooling;
    private ulong _nextSequence = 1;
    private int _cursor;

    /// <summary>An empty allocator for <paramref name="block"/>.</summary>
    /// <exception cref="InvalidCidrException">The block is larger than a /20 (IPv4) or a /116 (IPv6): over 4096 addresses.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The release cooldown is negative.</exception>
    public BlockAllocator(IpPrefix block, BlockAllocatorOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _layout = new BlockLayout(block, options);
        _time = time;
        _cooldownTicks = options.ReleaseCooldown.Ticks;
        _records = new AllocationRecord?[_layout.Size];
        _used = new Bitmap(_layout.Size);
        _skipped = new Bitmap(_layout.Size);
        for (var i = _layout.Excluded.FindNextSet(0, _layout.Size); i >= 0; i = _layout.Excluded.FindNextSet(i + 1, _layout.Size))
        {
            _skipped.Set(i);
        }

        _cooling = new CooldownQueue(_layout.Size);
    }

    /// <summary>The block.</summary>
    public IpPrefix Block => _layout.Block;

    /// <summary>How many addresses can be handed out: the block size minus network, IPv4 broadcast, reserved and gateway.</summary>
    public int Capacity => _layout.Capacity;

    /// <summary>How many addresses are allocated.</summary>
    public int Used => _used.Count;

    /// <summary>How many addresses can still be handed out (cooling ones included).</summary>
    public int Free => Capacity - Used;

    /// <summary>True if nothing is allocated.</summary>
    public bool IsEmpty => Used == 0;

    /// <summary>Every allocation, in address order; enumerated lazily, so copy it before changing the allocator.</summary>
    public IEnumerable<AllocationRecord> Allocations
    {
        get
        {
            for (var i = _used.FindNextSet(0, _layout.Size); i >= 0; i = _used.FindNextSet(i + 1, _layout.Size))
            {
                yield return _records[i]!;
            }
        }
    }

    /// <summary>
    /// Allocates the next free address to <paramref name="handleId"/>. Idempotent per handle: if
    /// the handle already holds an address in this block under the same or a higher
    /// <see cref="AllocationAttributes.HandleGeneration"/>, that record is returned unchanged; one
    /// held under a lower generation (an earlier attempt the handle has moved past) is released
    /// and replaced by a new allocation with a new sequence number.
    /// </summary>
    /// <exception cref="PoolExhaustedException">No address is free (names the block and its capacity); nothing changed.</exception>
    public AllocationRecord Allocate(string handleId, AllocationAttributes attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(handleId);
        ArgumentNullException.ThrowIfNull(attributes);
        if (FindByHandle(handleId) is { } existing)
        {
            if (existing.Attributes.HandleGeneration >= attributes.HandleGeneration)
            {
                return existing;
            }

            Vacate(existing);
        }

        if (Free == 0)
        {
            throw new PoolExhaustedException(Block.ToString(), (UInt128)Capacity);
        }

        var now = NowUnixMs();
        ExpireCooldowns(now);
        var offset = _skipped.FindNextClearWrapping(_cursor, 0, _layout.Size);
        if (offset < 0)
        {
            // Free > 0 yet nothing outside the cooldown: every free address is cooling, and all
            // of them are queued, so the oldest release exists.
            _cooling.TryPeekOldest(out offset, out _);
        }

        var record = Take(offset, handleId, attributes, now);
        _cursor = offset + 1 == _layout.Size ? 0 : offset + 1;
        return record;
    }

    /// <summary>
    /// Allocates exactly <paramref name="address"/> to <paramref name="handleId"/>, even if it is
    /// cooling down (the caller asked for it). Idempotent: if the handle already holds this
    /// address under the same or a higher generation, that record is returned; what the handle
    /// holds here under a lower generation is released first (as in <see cref="Allocate"/>).
    /// Does not move the next-fit cursor.
    /// </summary>
    /// <exception cref="AddressNotAllocatableException">
    /// The address is outside the block, its network or broadcast address, reserved or the gateway
    /// (the reason says which), or the handle already holds another address in this block.
    /// </exception>
    /// <exception cref="AddressTakenException">Another handle holds it (names the holder).</exception>
    public AllocationRecord AllocateSpecific(IPAddress address, string handleId, AllocationAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(handleId);
        ArgumentNullException.ThrowIfNull(attributes);
        var offset = _layout.OffsetOf(address);
        if (offset < 0)
        {
            throw _layout.NotAllocatable(address, "outside the range");
        }

        if (_layout.ExclusionReason(offset) is { } reason)
        {
            throw _layout.NotAllocatable(address, reason);
        }

        if (FindByHandle(handleId) is { } earlier && earlier.Attributes.HandleGeneration < attributes.HandleGeneration
            && (_records[offset] is null || _records[offset]!.HandleId == handleId))
        {
            // Nothing is freed when the address is taken by someone else: the request fails as a whole.
            Vacate(earlier);
        }

        if (_records[offset] is { } held)
        {
            return held.HandleId == handleId ? held : throw new AddressTakenException(address.ToString(), held.HandleId);
        }

        if (FindByHandle(handleId) is { } other)
        {
            throw _layout.NotAllocatable(address, $"handle '{handleId}' already holds {other.Address} in this block");
        }

        var now = NowUnixMs();
        ExpireCooldowns(now);
        return Take(offset, handleId, attributes, now);
    }

    /// <summary>The allocation held by <paramref name="handleId"/>, or null.</summary>
    public AllocationRecord? FindByHandle(string handleId)
    {
        ArgumentNullException.ThrowIfNull(handleId);
        return _offsetByHandle.TryGetValue(handleId, out var offset) ? _records[offset] : null;
    }

    /// <summary>The allocation of <paramref name="address"/>, or null if it is free or outside the block.</summary>
    public AllocationRecord? FindByAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var offset = _layout.OffsetOf(address);
        return offset < 0 ? null : _records[offset];
    }

    /// <summary>
    /// Releases whatever <paramref name="handleId"/> holds in this block under a generation of at
    /// most <paramref name="maxGeneration"/> and returns it. Idempotent: an unknown handle frees
    /// nothing and returns an empty list. Never throws for a valid id.
    /// </summary>
    public IReadOnlyList<AllocationRecord> ReleaseByHandle(string handleId, ulong maxGeneration = ulong.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(handleId);
        if (FindByHandle(handleId) is not { } record || record.Attributes.HandleGeneration > maxGeneration)
        {
            return [];
        }

        Vacate(record);
        return [record];
    }

    /// <summary>
    /// Releases <paramref name="address"/> only if it is still held under <paramref name="sequence"/>.
    /// Returns false, freeing nothing, when the address is free, outside the block or held under
    /// another sequence number: a stale release (ABA) can never free an address re-issued since.
    /// </summary>
    public bool Release(IPAddress address, ulong sequence)
    {
        if (FindByAddress(address) is not { } record || record.Sequence != sequence)
        {
            return false;
        }

        Vacate(record);
        return true;
    }

    /// <summary>
    /// Moves <paramref name="address"/>, held under <paramref name="sequence"/>, to
    /// <paramref name="toHandle"/> without freeing it: the address never becomes free (no cooldown,
    /// no window in which another handle could take it). The moved allocation gets a new sequence
    /// number and allocation time, so a release naming the old holder's sequence frees nothing.
    /// Idempotent: if <paramref name="toHandle"/> already holds the address, its record is returned
    /// (stamped with <paramref name="attributes"/> when they carry a newer generation). Returns null,
    /// changing nothing, when the address is free or held under another sequence by another handle.
    /// What <paramref name="toHandle"/> holds elsewhere in the block under an older generation is
    /// released first (as in <see cref="Allocate"/>).
    /// </summary>
    /// <exception cref="AddressNotAllocatableException">
    /// The address is outside the block, or <paramref name="toHandle"/> already holds another
    /// address here under the same or a newer generation.
    /// </exception>
    public AllocationRecord? Transfer(IPAddress address, ulong sequence, string toHandle, AllocationAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(toHandle);
        ArgumentNullException.ThrowIfNull(attributes);
        var offset = _layout.OffsetOf(address);
        if (offset < 0)
        {
            throw _layout.NotAllocatable(address, "outside the range");
        }

        if (_records[offset] is not { } held)
        {
            return null;
        }

        if (held.HandleId == toHandle)
        {
            if (held.Attributes.HandleGeneration >= attributes.HandleGeneration)
            {
                return held;
            }

            var restamped = held with { Attributes = attributes };
            _records[offset] = restamped;
            return restamped;
        }

        if (held.Sequence != sequence)
        {
            return null;
        }

        if (FindByHandle(toHandle) is { } other)
        {
            if (other.Attributes.HandleGeneration >= attributes.HandleGeneration)
            {
                throw _layout.NotAllocatable(address, $"handle '{toHandle}' already holds {other.Address} in this block");
            }

            Vacate(other);
        }

        var moved = new AllocationRecord(held.Address, offset, toHandle, _nextSequence++, attributes, DateTimeOffset.FromUnixTimeMilliseconds(NowUnixMs()));
        _offsetByHandle.Remove(held.HandleId);
        _records[offset] = moved;
        _offsetByHandle.Add(toHandle, offset);
        return moved;
    }

    private AllocationRecord Take(int offset, string handleId, AllocationAttributes attributes, long nowUnixMs)
    {
        var record = new AllocationRecord(
            Block.AddressAt((UInt128)offset),
            offset,
            handleId,
            _nextSequence++,
            attributes,
            DateTimeOffset.FromUnixTimeMilliseconds(nowUnixMs));
        Install(record);
        return record;
    }

    private void Install(AllocationRecord record)
    {
        _records[record.Offset] = record;
        _offsetByHandle.Add(record.HandleId, record.Offset);
        _used.Set(record.Offset);
        _skipped.Set(record.Offset);
        _cooling.Remove(record.Offset);
    }

    private void Vacate(AllocationRecord record)
    {
        var now = NowUnixMs();
        ExpireCooldowns(now);
        _records[record.Offset] = null;
        _offsetByHandle.Remove(record.HandleId);
        _used.Clear(record.Offset);
        if (_cooldownTicks > 0)
        {
            // Stays skipped by the next-fit scan until the cooldown ends.
            _cooling.Enqueue(record.Offset, now);
        }
        else
        {
            _skipped.Clear(record.Offset);
        }
    }

    // Drops finished cooldowns from the front of the FIFO. With a clock that only moves forward the
    // queue is sorted by release time, so this leaves exactly the addresses still cooling. If the
    // wall clock steps back, later entries wait behind a "future" head: they cool longer, the safe
    // direction.
    private void ExpireCooldowns(long nowUnixMs)
    {
        while (_cooling.TryPeekOldest(out var offset, out var releasedAt) && !IsCooling(releasedAt, nowUnixMs))
        {
            _cooling.Remove(offset);
            _skipped.Clear(offset);
        }
    }

    private bool IsCooling(long releasedAtUnixMs, long nowUnixMs) =>
        (nowUnixMs - releasedAtUnixMs) * TimeSpan.TicksPerMillisecond < _cooldownTicks;

    // Milliseconds, because that is what the snapshot keeps: a restored allocator then sees the
    // very same times as the one that wrote it.
    private long NowUnixMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
