namespace DistIpam.Grains.Services;

/// <summary>The stored state of a feed segment. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class ServiceFeedSegmentState
{
    /// <summary>The segment's events in version order.</summary>
    [Id(0)] public List<ServiceEvent> Events { get; set; } = [];
}
