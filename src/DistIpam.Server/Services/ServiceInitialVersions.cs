using DistIpam.Grains.Services;

namespace DistIpam.Server.Services;

/// <summary>
/// The objects a watch sent as its initial state, with their versions. A List reflects every
/// change up to its version and may already reflect later ones; events for an object at or below
/// the version sent for it are therefore stale and skipped, so no object is sent twice.
/// </summary>
public sealed class ServiceInitialVersions
{
    private Dictionary<string, long>? _sent = new(StringComparer.Ordinal);
    private long _max;

    /// <summary>Records a service sent at its version.</summary>
    public void Sent(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        Add($"s {service.Namespace}/{service.Name}", service.Version);
    }

    /// <summary>Records a slice sent at its version.</summary>
    public void Sent(EndpointSliceRecord slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        Add($"e {slice.Namespace}/{slice.Name}", slice.Version);
    }

    /// <summary>True when the initial state already carried this event's object at this version or later.</summary>
    public bool IsStale(ServiceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_sent is null || e.Version > _max)
        {
            // Past every version sent: nothing can be stale any more.
            _sent = null;
            return false;
        }

        var key = e.Service is { } s ? $"s {s.Namespace}/{s.Name}" : $"e {e.Slice!.Namespace}/{e.Slice.Name}";
        return _sent.TryGetValue(key, out var sent) && e.Version <= sent;
    }

    private void Add(string key, long version)
    {
        _sent![key] = version;
        _max = Math.Max(_max, version);
    }
}
