using System.Globalization;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Allocation;

/// <summary>
/// NodePorts of one port range with Kubernetes semantics: a low static band of
/// min(max(16, n/32), 128) ports is kept for explicitly requested ports; <see cref="Allocate"/>
/// prefers the upper band from a random start and takes from the static band only when the
/// upper band is full.
/// </summary>
/// <remarks>Failing calls change nothing. Not thread-safe; a grain owns one.</remarks>
public sealed class PortRangeAllocator
{
    /// <summary>The Kubernetes default first NodePort.</summary>
    public const int DefaultFirst = 30000;

    /// <summary>The Kubernetes default last NodePort.</summary>
    public const int DefaultLast = 32767;

    private readonly BandedBitmap _slots;
    private readonly string _rangeText;

    /// <summary>An empty allocator for ports <paramref name="first"/> to <paramref name="last"/>, inclusive.</summary>
    /// <param name="first">The first port, 1-65535. Default 30000.</param>
    /// <param name="last">The last port, <paramref name="first"/>-65535. Default 32767.</param>
    /// <param name="random">The source of random start points; null uses <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not 1 &lt;= first &lt;= last &lt;= 65535.</exception>
    public PortRangeAllocator(int first = DefaultFirst, int last = DefaultLast, Random? random = null)
    {
        if (first < 1 || last > ushort.MaxValue || first > last)
        {
            throw new ArgumentOutOfRangeException(
                nameof(first), $"port range {first}-{last} must satisfy 1 <= first <= last <= 65535");
        }

        First = first;
        Last = last;
        _rangeText = string.Create(CultureInfo.InvariantCulture, $"{first}-{last}");
        var size = last - first + 1;
        _slots = new BandedBitmap(size, BandedBitmap.StaticBandSize(size, 32, 128), random ?? Random.Shared);
    }

    /// <summary>An empty allocator for the default range 30000-32767.</summary>
    public PortRangeAllocator(Random random)
        : this(DefaultFirst, DefaultLast, random)
    {
    }

    /// <summary>The first port of the range.</summary>
    public int First { get; }

    /// <summary>The last port of the range (inclusive).</summary>
    public int Last { get; }

    /// <summary>How many ports the range holds (all are allocatable).</summary>
    public int Capacity => _slots.Length;

    /// <summary>How many ports are allocated.</summary>
    public int Used => _slots.Used;

    /// <summary>How many of the lowest ports form the static band.</summary>
    public int StaticBandSize => _slots.StaticBand;

    /// <summary>
    /// Allocates a free port to <paramref name="holder"/>: a random one from the upper band, or
    /// from the static band when the upper band is full. Not idempotent: a service with several
    /// ports calls it once per port; a caller that rolls back must <see cref="Release"/> them.
    /// </summary>
    /// <exception cref="PoolExhaustedException">No port is free (names the range and its size); nothing changed.</exception>
    public int Allocate(string holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var slot = _slots.TakeAny(holder);
        return slot >= 0 ? First + slot : throw new PoolExhaustedException(_rangeText, (UInt128)Capacity);
    }

    /// <summary>
    /// Allocates exactly <paramref name="port"/> to <paramref name="holder"/>, in either band.
    /// Idempotent: if <paramref name="holder"/> already holds it, returns it unchanged.
    /// </summary>
    /// <exception cref="AddressNotAllocatableException">The port is outside the range.</exception>
    /// <exception cref="AddressTakenException">Another holder has it (names the holder).</exception>
    public int AllocateSpecific(int port, string holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        if (!Contains(port))
        {
            throw new AddressNotAllocatableException(
                port.ToString(CultureInfo.InvariantCulture), _rangeText, "outside the range");
        }

        return _slots.TryTake(port - First, holder) is { } other
            ? throw new AddressTakenException(port.ToString(CultureInfo.InvariantCulture), other)
            : port;
    }

    /// <summary>Frees <paramref name="port"/>. Idempotent: false, changing nothing, if it was free or is outside the range.</summary>
    public bool Release(int port) => Contains(port) && _slots.Release(port - First);

    /// <summary>Who holds <paramref name="port"/>, or null if it is free or outside the range.</summary>
    public string? Holder(int port) => Contains(port) ? _slots.HolderOf(port - First) : null;

    /// <summary>The state as plain data: the bounds and every allocation with its holder.</summary>
    public PortRangeSnapshot ToSnapshot() =>
        new(First, Last, [.. _slots.Entries().Select(e => new PortRangeSnapshotEntry(First + e.Key, e.Value))]);

    /// <summary>Rebuilds an allocator from <paramref name="snapshot"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// The snapshot is corrupt: invalid bounds, a port outside them, a duplicate port or an empty holder.
    /// </exception>
    public static PortRangeAllocator FromSnapshot(PortRangeSnapshot snapshot, Random random)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(random);
        var range = string.Create(CultureInfo.InvariantCulture, $"{snapshot.First}-{snapshot.Last}");
        PortRangeAllocator allocator;
        try
        {
            allocator = new PortRangeAllocator(snapshot.First, snapshot.Last, random);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Corrupt(range, e.Message);
        }

        if (snapshot.Allocations is null)
        {
            throw Corrupt(range, "the allocation list is missing");
        }

        foreach (var entry in snapshot.Allocations)
        {
            if (entry is null || string.IsNullOrEmpty(entry.Holder))
            {
                throw Corrupt(range, "an allocation entry or its holder is missing");
            }

            if (!allocator.Contains(entry.Port))
            {
                throw Corrupt(range, $"port {entry.Port} is outside the range");
            }

            if (allocator.Holder(entry.Port) is { } first)
            {
                throw Corrupt(range, $"port {entry.Port} is allocated twice ('{first}' and '{entry.Holder}')");
            }

            allocator._slots.TryTake(entry.Port - snapshot.First, entry.Holder);
        }

        return allocator;
    }

    private static InvalidDataException Corrupt(string range, string detail) =>
        new($"port range snapshot '{range}' is corrupt: {detail}");

    private bool Contains(int port) => port >= First && port <= Last;
}
