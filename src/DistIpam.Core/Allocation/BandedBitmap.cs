namespace DistIpam.Core.Allocation;

/// <summary>
/// Slots 0..n-1 split Kubernetes-style into a low static band, kept for explicitly requested
/// values, and an upper dynamic band where random allocation looks first. Shared by the
/// ClusterIP and NodePort allocators, which only map their addresses or ports onto slots.
/// </summary>
/// <remarks>
/// Dynamic allocation starts at a random slot of the upper band and scans with wrap-around, so
/// concurrent controllers rarely race for one value and a restarted one does not replay the
/// same sequence; it falls back to the static band only when the upper band is full. Not
/// thread-safe.
/// </remarks>
internal sealed class BandedBitmap
{
    private readonly Bitmap _used;
    private readonly Dictionary<int, string> _holders = [];
    private readonly Random _random;
    private int _upperUsed;

    /// <summary>An empty map of <paramref name="length"/> slots whose first <paramref name="staticBand"/> form the static band.</summary>
    public BandedBitmap(int length, int staticBand, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(staticBand);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(staticBand, length);
        _used = new Bitmap(length);
        StaticBand = staticBand;
        _random = random;
    }

    /// <summary>The number of slots.</summary>
    public int Length => _used.Length;

    /// <summary>The number of slots in the static band (slots 0 to StaticBand - 1).</summary>
    public int StaticBand { get; }

    /// <summary>The number of taken slots.</summary>
    public int Used => _used.Count;

    /// <summary>
    /// The size of a static band, Kubernetes' formula: min(max(16, length / divisor), maximum),
    /// clamped to the number of slots.
    /// </summary>
    public static int StaticBandSize(int length, int divisor, int maximum) =>
        Math.Min(Math.Min(Math.Max(16, length / divisor), maximum), length);

    /// <summary>Takes a free slot for <paramref name="holder"/>, upper band first; -1 if none is free.</summary>
    public int TakeAny(string holder)
    {
        var upperLength = Length - StaticBand;
        var slot = -1;
        if (_upperUsed < upperLength)
        {
            slot = _used.FindNextClearWrapping(StaticBand + _random.Next(upperLength), StaticBand, Length);
        }
        else if (Used < Length)
        {
            slot = _used.FindNextClearWrapping(_random.Next(StaticBand), 0, StaticBand);
        }

        if (slot >= 0)
        {
            Mark(slot, holder);
        }

        return slot;
    }

    /// <summary>
    /// Takes <paramref name="slot"/> for <paramref name="holder"/>. Returns null when taken now or
    /// already held by the same holder, otherwise the other holder's name (nothing changes).
    /// </summary>
    public string? TryTake(int slot, string holder)
    {
        if (_holders.TryGetValue(slot, out var current))
        {
            return current == holder ? null : current;
        }

        Mark(slot, holder);
        return null;
    }

    /// <summary>Frees <paramref name="slot"/>; false if it was free.</summary>
    public bool Release(int slot)
    {
        if (!_holders.Remove(slot))
        {
            return false;
        }

        _used.Clear(slot);
        if (slot >= StaticBand)
        {
            _upperUsed--;
        }

        return true;
    }

    /// <summary>Who holds <paramref name="slot"/>, or null if it is free.</summary>
    public string? HolderOf(int slot) => _holders.GetValueOrDefault(slot);

    /// <summary>Every taken slot with its holder, in slot order.</summary>
    public IEnumerable<KeyValuePair<int, string>> Entries()
    {
        for (var slot = _used.FindNextSet(0, Length); slot >= 0; slot = _used.FindNextSet(slot + 1, Length))
        {
            yield return new KeyValuePair<int, string>(slot, _holders[slot]);
        }
    }

    private void Mark(int slot, string holder)
    {
        _used.Set(slot);
        _holders.Add(slot, holder);
        if (slot >= StaticBand)
        {
            _upperUsed++;
        }
    }
}
