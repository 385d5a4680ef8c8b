using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Allocation;

/// <summary>
/// ClusterIPs of one service CIDR with Kubernetes semantics: never the network or (IPv4)
/// broadcast address; a low static band of min(max(16, n/16), 256) addresses (n = allocatable
/// addresses) is kept for explicitly requested IPs; <see cref="Allocate"/> prefers the upper band
/// from a random start and takes from the static band only when the upper band is full.
/// </summary>
/// <remarks>
/// Ranges of up to 2^24 addresses (10.96.0.0/12 is 2^20) are supported: one bit per address plus
/// a dictionary of holders, searched 64 addresses per step. Failing calls change nothing. Not
/// thread-safe; a grain owns one.
/// </remarks>
public sealed class ServiceRangeAllocator
{
    /// <summary>The largest supported range, in host bits: 2^24 addresses (an IPv4 /8, an IPv6 /104).</summary>
    public const int MaxHostBits = 24;

    private readonly BandedBitmap _slots;
    private readonly string _rangeText;

    /// <summary>An empty allocator for <paramref name="range"/>.</summary>
    /// <exception cref="InvalidCidrException">The range holds more than 2^24 addresses.</exception>
    public ServiceRangeAllocator(IpPrefix range, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _rangeText = range.ToString();
        if (range.HostBits > MaxHostBits)
        {
            throw new InvalidCidrException(
                _rangeText,
                $"a service range may hold at most 2^{MaxHostBits} addresses (an IPv4 /8 or IPv6 /104), this one holds 2^{range.HostBits}");
        }

        Range = range;

        // Slot i is the address at offset i + 1: the network address (offset 0) and the IPv4
        // broadcast address are not slots at all.
        var size = (int)range.Size;
        var capacity = Math.Max(0, size - 1 - (range.Family == IpFamily.V4 ? 1 : 0));
        _slots = new BandedBitmap(capacity, BandedBitmap.StaticBandSize(capacity, 16, 256), random);
    }

    /// <summary>The service CIDR.</summary>
    public IpPrefix Range { get; }

    /// <summary>How many addresses can be allocated (all but network and IPv4 broadcast).</summary>
    public int Capacity => _slots.Length;

    /// <summary>How many addresses are allocated.</summary>
    public int Used => _slots.Used;

    /// <summary>How many of the lowest allocatable addresses form the static band.</summary>
    public int StaticBandSize => _slots.StaticBand;

    /// <summary>
    /// Allocates a free address to <paramref name="holder"/>: a random one from the upper band,
    /// or from the static band when the upper band is full. Not idempotent: every call takes a
    /// new address; a caller that rolls back must <see cref="Release"/> what it got.
    /// </summary>
    /// <exception cref="PoolExhaustedException">No address is free (names the range and its capacity); nothing changed.</exception>
    public IPAddress Allocate(string holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var slot = _slots.TakeAny(holder);
        return slot >= 0
            ? Range.AddressAt((UInt128)(slot + 1))
            : throw new PoolExhaustedException(_rangeText, (UInt128)Capacity);
    }

    /// <summary>
    /// Allocates exactly <paramref name="address"/> to <paramref name="holder"/>, in either band.
    /// Idempotent: if <paramref name="holder"/> already holds it, returns it unchanged.
    /// </summary>
    /// <exception cref="AddressNotAllocatableException">Outside the range, or its network or broadcast address.</exception>
    /// <exception cref="AddressTakenException">Another holder has it (names the holder).</exception>
    public IPAddress AllocateSpecific(IPAddress address, string holder)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var slot = SlotOf(address, out var reason);
        if (slot < 0)
        {
            throw new AddressNotAllocatableException(address.ToString(), _rangeText, reason!);
        }

        return _slots.TryTake(slot, holder) is { } other
            ? throw new AddressTakenException(address.ToString(), other)
            : address;
    }

    /// <summary>Frees <paramref name="address"/>. Idempotent: false, changing nothing, if it was free or is not allocatable here.</summary>
    public bool Release(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var slot = SlotOf(address, out _);
        return slot >= 0 && _slots.Release(slot);
    }

    /// <summary>Who holds <paramref name="address"/>, or null if it is free or not allocatable here.</summary>
    public string? Holder(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var slot = SlotOf(address, out _);
        return slot < 0 ? null : _slots.HolderOf(slot);
    }

    /// <summary>The state as plain data: the range and every allocation with its holder.</summary>
    public ServiceRangeSnapshot ToSnapshot() =>
        new(_rangeText, [.. _slots.Entries().Select(e => new ServiceRangeSnapshotEntry(e.Key + 1, e.Value))]);

    /// <summary>Rebuilds an allocator from <paramref name="snapshot"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// The snapshot is corrupt: an unparsable or too large range, an offset that is outside the
    /// range or its network or broadcast address, a duplicate offset or an empty holder.
    /// </exception>
    public static ServiceRangeAllocator FromSnapshot(ServiceRangeSnapshot snapshot, Random random)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(random);
        if (!IpPrefix.TryParse(snapshot.Range, out var range, out var error))
        {
            throw Corrupt(snapshot.Range, $"the range is not a CIDR ({error})");
        }

        ServiceRangeAllocator allocator;
        try
        {
            allocator = new ServiceRangeAllocator(range, random);
        }
        catch (InvalidCidrException e)
        {
            throw Corrupt(snapshot.Range, e.Reason);
        }

        if (snapshot.Allocations is null)
        {
            throw Corrupt(snapshot.Range, "the allocation list is missing");
        }

        foreach (var entry in snapshot.Allocations)
        {
            if (entry is null || string.IsNullOrEmpty(entry.Holder))
            {
                throw Corrupt(snapshot.Range, "an allocation entry or its holder is missing");
            }

            var slot = entry.Offset - 1;
            if (slot < 0 || slot >= allocator.Capacity)
            {
                throw Corrupt(snapshot.Range, $"offset {entry.Offset} is not an allocatable address of the range");
            }

            if (allocator._slots.HolderOf(slot) is { } first)
            {
                throw Corrupt(snapshot.Range, $"offset {entry.Offset} is allocated twice ('{first}' and '{entry.Holder}')");
            }

            allocator._slots.TryTake(slot, entry.Holder);
        }

        return allocator;
    }

    private static InvalidDataException Corrupt(string? range, string detail) =>
        new($"service range snapshot '{range}' is corrupt: {detail}");

    // The slot of an allocatable address, or -1 with the reason it is not one.
    private int SlotOf(IPAddress address, out string? reason)
    {
        if (!Range.Contains(address))
        {
            reason = "outside the range";
            return -1;
        }

        var offset = (int)Range.OffsetOf(address);
        if (offset == 0)
        {
            reason = "network address";
            return -1;
        }

        if (offset > Capacity)
        {
            // Past the last slot can only be the IPv4 broadcast address.
            reason = "broadcast address";
            return -1;
        }

        reason = null;
        return offset - 1;
    }
}
