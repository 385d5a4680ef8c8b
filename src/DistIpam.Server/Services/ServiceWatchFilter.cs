using DistIpam.Grains.Services;

namespace DistIpam.Server.Services;

/// <summary>
/// Which objects a list or watch wants: a namespace, a service name and a label selector (services
/// only); for a watch that sent an initial state, events that state already covered are skipped.
/// </summary>
public sealed record ServiceWatchFilter(string Namespace, string Service, ServiceLabelSelector Selector, ServiceInitialVersions? Initial = null)
{
    /// <summary>Whether the event's object matches (and the event is not already covered by the initial state).</summary>
    public bool Matches(ServiceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Initial is not null && Initial.IsStale(e))
        {
            return false;
        }

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
