using System.Globalization;
using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>Canonical text of services and slices, so states compare by value (records hold lists).</summary>
public static class ServiceCanon
{
    /// <summary>The identity of the object an event is about.</summary>
    public static string KeyOf(ServiceEvent e) =>
        e.Service is { } s ? $"svc {s.Namespace}/{s.Name}" : $"slice {e.Slice!.Namespace}/{e.Slice.Name}";

    /// <summary>The object of an event.</summary>
    public static string Of(ServiceEvent e) => e.Service is { } s ? Of(s) : Of(e.Slice!);

    /// <summary>A service.</summary>
    public static string Of(ServiceRecord r) => string.Create(
        CultureInfo.InvariantCulture,
        $"svc {r.Namespace}/{r.Name} {r.Type} {r.Policy} f[{string.Join(",", r.Families)}] ip[{string.Join(",", r.ClusterIps)}] pool[{string.Join(",", r.Pools)}] "
        + $"ports[{string.Join(",", r.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}>{p.TargetPort}:{p.NodePort}"))}] "
        + $"labels[{string.Join(",", r.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))}] v{r.Version}");

    /// <summary>A slice.</summary>
    public static string Of(EndpointSliceRecord s) => string.Create(
        CultureInfo.InvariantCulture,
        $"slice {s.Namespace}/{s.Name} of {s.Service} f{s.Family} v{s.Version} [{string.Join(" ", s.Endpoints.Select(Of))}]");

    /// <summary>An endpoint.</summary>
    public static string Of(EndpointRecord e) =>
        $"{e.Target}={string.Join("+", e.Addresses)}:{(e.Ready ? "R" : "r")}{(e.Serving ? "S" : "s")}{(e.Terminating ? "T" : "t")}:{e.NodeName}:{e.Zone}:{string.Join(",", e.Ports.Select(p => $"{p.Name}/{p.Protocol}/{p.Port}"))}";

    /// <summary>Every object of a snapshot, keyed.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Objects(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        yield return new($"svc {snapshot.Service.Namespace}/{snapshot.Service.Name}", Of(snapshot.Service));
        foreach (var slice in snapshot.Slices)
        {
            yield return new($"slice {slice.Namespace}/{slice.Name}", Of(slice));
        }
    }
}
