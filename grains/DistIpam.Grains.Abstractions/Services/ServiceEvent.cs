namespace DistIpam.Grains.Services;

/// <summary>One change to a service or an endpoint slice, exactly one of which is set.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceEvent
{
    /// <summary>The feed version; every change has its own, increasing in feed order.</summary>
    [Id(0)] public long Version { get; init; }

    /// <summary>Added, Modified or Deleted.</summary>
    [Id(1)] public ServiceEventType Type { get; init; }

    /// <summary>The service (new state; last state for Deleted), or null for a slice event.</summary>
    [Id(2)] public ServiceRecord? Service { get; init; }

    /// <summary>The slice (new state; last state for Deleted), or null for a service event.</summary>
    [Id(3)] public EndpointSliceRecord? Slice { get; init; }

    /// <summary>
    /// The change this event belongs to (one id per service change, empty for none): the feed
    /// appends a batch it already holds only once (<see cref="IServiceFeedGrain.AppendAsync"/>).
    /// </summary>
    [Id(4)] public Guid Batch { get; init; }

    /// <summary>The namespace of the object.</summary>
    public string Namespace => Service?.Namespace ?? Slice?.Namespace ?? "";
}
