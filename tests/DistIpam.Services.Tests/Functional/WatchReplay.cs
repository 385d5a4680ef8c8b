using DistIpam.Api.V1;

namespace DistIpam.Services.Tests.Functional;

/// <summary>What a client builds from watch events: every object by kind and name.</summary>
public sealed class WatchReplay
{
    /// <summary>The objects, "svc ns/name" or "slice ns/name" to their wire form.</summary>
    public SortedDictionary<string, string> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>The last version applied (events and bookmarks).</summary>
    public long Version { get; private set; }

    /// <summary>The state a List gives.</summary>
    public static SortedDictionary<string, string> Of(ListServicesResponse services, ListEndpointSlicesResponse slices)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(slices);
        var objects = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in services.Services)
        {
            objects[$"svc {s.Namespace}/{s.Name}"] = s.ToString();
        }

        foreach (var s in slices.Slices)
        {
            objects[$"slice {s.Namespace}/{s.Name}"] = s.ToString();
        }

        return objects;
    }

    /// <summary>Applies events in order.</summary>
    public void ApplyUntil(IEnumerable<WatchEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            Apply(e);
        }
    }

    /// <summary>Applies one event.</summary>
    public void Apply(WatchEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Version = Math.Max(Version, e.Version);
        var (key, value) = e.ObjectCase switch
        {
            WatchEvent.ObjectOneofCase.Service => ($"svc {e.Service.Namespace}/{e.Service.Name}", e.Service.ToString()),
            WatchEvent.ObjectOneofCase.Slice => ($"slice {e.Slice.Namespace}/{e.Slice.Name}", e.Slice.ToString()),
            _ => ("", ""),
        };
        if (key.Length == 0)
        {
            return;
        }

        if (e.Type == WatchEvent.Types.Type.Deleted)
        {
            Objects.Remove(key);
        }
        else
        {
            Objects[key] = value;
        }
    }
}
