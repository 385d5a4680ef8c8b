using DistIpam.Api.V1;

namespace DistIpam.Chaos.Tests.Services;

/// <summary>Services and slices as a watch's events built them, keyed namespace/name, with their versions.</summary>
internal sealed class WatchState
{
    /// <summary>Services by namespace/name with the version of their last event.</summary>
    public Dictionary<string, long> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>Slices by namespace/name with their version.</summary>
    public Dictionary<string, long> Slices { get; } = new(StringComparer.Ordinal);

    /// <summary>Applies one event.</summary>
    public void Apply(WatchEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var deleted = change.Type == WatchEvent.Types.Type.Deleted;
        if (change.Service is { } service)
        {
            Set(Services, $"{service.Namespace}/{service.Name}", service.Version, deleted);
        }
        else if (change.Slice is { } slice)
        {
            Set(Slices, $"{slice.Namespace}/{slice.Name}", slice.Version, deleted);
        }
    }

    /// <summary>Replaces everything with a fresh list (after OUT_OF_RANGE).</summary>
    public void Reset(IEnumerable<Service> services, IEnumerable<EndpointSlice> slices)
    {
        Services.Clear();
        Slices.Clear();
        foreach (var service in services)
        {
            Services[$"{service.Namespace}/{service.Name}"] = service.Version;
        }

        foreach (var slice in slices)
        {
            Slices[$"{slice.Namespace}/{slice.Name}"] = slice.Version;
        }
    }

    /// <summary>Null when equal to the lists, else the differences.</summary>
    public string? DiffersFrom(IEnumerable<Service> services, IEnumerable<EndpointSlice> slices)
    {
        var expected = new WatchState();
        expected.Reset(services, slices);
        var differences = Diff("service", Services, expected.Services).Concat(Diff("slice", Slices, expected.Slices)).ToList();
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    private static IEnumerable<string> Diff(string what, Dictionary<string, long> watched, Dictionary<string, long> listed)
    {
        foreach (var (key, version) in listed)
        {
            if (!watched.TryGetValue(key, out var seen))
            {
                yield return $"{what} {key} v{version} listed but never seen by the watch";
            }
            else if (seen != version)
            {
                yield return $"{what} {key} listed at v{version} but the watch has v{seen}";
            }
        }

        foreach (var key in watched.Keys.Where(k => !listed.ContainsKey(k)))
        {
            yield return $"{what} {key} seen by the watch but not listed (a missed DELETED)";
        }
    }

    private static void Set(Dictionary<string, long> map, string key, long version, bool deleted)
    {
        if (deleted)
        {
            map.Remove(key);
        }
        else
        {
            map[key] = version;
        }
    }
}
