using DistIpam.Grains.Services;

namespace DistIpam.Server.Services;

/// <summary>Which objects a list or watch wants: a namespace, a service name and a label selector (services only).</summary>
public sealed record ServiceWatchFilter(string Namespace, string Service, ServiceLabelSelector Selector)
{
    /// <summary>Whether the event's object matches.</summary>
    public bool Matches(ServiceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Service is { } service ? Matches(service) : e.Slice is { } slice && Matches(slice);
    }

    /// <summary>Whether the service matches.</summary>
    public bool Matches(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return (Namespace.Length == 0 || service.Namespace == Namespace)
            && (Service.Length == 0 || service.Name == Service)
            && Selector.Matches(service.Labels);
    }

    /// <summary>Whether the slice matches (label selectors do not apply to slices).</summary>
    public bool Matches(EndpointSliceRecord slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return (Namespace.Length == 0 || slice.Namespace == Namespace) && (Service.Length == 0 || slice.Service == Service);
    }
}
