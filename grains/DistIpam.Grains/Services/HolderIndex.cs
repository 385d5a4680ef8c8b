namespace DistIpam.Grains.Services;

/// <summary>
/// Which values (ClusterIPs, NodePorts) each holder has, kept beside an allocator that only maps
/// value to holder, so an allocation can answer what a holder already holds (idempotency per
/// holder, as <c>BlockAllocator</c> is per handle). Not thread-safe; a grain owns one.
/// </summary>
internal sealed class HolderIndex<TValue>
    where TValue : notnull
{
    private readonly Dictionary<string, List<TValue>> _byHolder = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="holder"/> holds <paramref name="value"/>.</summary>
    public void Add(string holder, TValue value)
    {
        if (!_byHolder.TryGetValue(holder, out var values))
        {
            values = [];
            _byHolder[holder] = values;
        }

        if (!values.Contains(value))
        {
            values.Add(value);
        }
    }

    /// <summary>Records that <paramref name="holder"/> no longer holds <paramref name="value"/>.</summary>
    public void Remove(string holder, TValue value)
    {
        if (_byHolder.TryGetValue(holder, out var values) && values.Remove(value) && values.Count == 0)
        {
            _byHolder.Remove(holder);
        }
    }

    /// <summary>Forgets every holder.</summary>
    public void Clear() => _byHolder.Clear();

    /// <summary>What <paramref name="holder"/> holds, oldest first (a copy).</summary>
    public IReadOnlyList<TValue> Of(string holder) =>
        _byHolder.TryGetValue(holder, out var values) ? [.. values] : [];
}
