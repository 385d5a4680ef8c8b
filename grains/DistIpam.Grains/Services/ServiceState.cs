namespace DistIpam.Grains.Services;

/// <summary>The stored state of a service grain. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class ServiceState
{
    /// <summary>The service; null = it does not exist.</summary>
    [Id(0)] public ServiceRecord? Record { get; set; }

    /// <summary>Endpoints by target, with all their addresses.</summary>
    [Id(1)] public Dictionary<string, EndpointRecord> Endpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Slices, by family then creation order.</summary>
    [Id(2)] public List<SliceState> Slices { get; set; } = [];

    /// <summary>The number the next new slice's name gets (never reused while the service exists).</summary>
    [Id(3)] public int NextSliceNumber { get; set; } = 1;

    /// <summary>
    /// The events of the last change, written with it and appended to the feed only after this
    /// state is durable (one batch id); non-empty until the append is known to have happened.
    /// </summary>
    [Id(4)] public List<ServiceEvent> Unpublished { get; set; } = [];

    /// <summary>A deep copy (records are immutable).</summary>
    public ServiceState Clone() => new()
    {
        Record = Record,
        Endpoints = new Dictionary<string, EndpointRecord>(Endpoints, StringComparer.Ordinal),
        Slices = [.. Slices.Select(s => s.Clone())],
        NextSliceNumber = NextSliceNumber,
        Unpublished = [.. Unpublished],
    };
}
