namespace DistIpam.Grains.Services;

/// <summary>The stored state of the feed grain. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class ServiceFeedState
{
    /// <summary>The newest version given out and made durable.</summary>
    [Id(0)] public long LastVersion { get; set; }

    /// <summary>Events not yet sealed into a segment (fewer than a segment's worth), in version order.</summary>
    [Id(1)] public List<ServiceEvent> Tail { get; set; } = [];

    /// <summary>The oldest segment still retained; versions after OldestSegment * segment size can be resumed from.</summary>
    [Id(2)] public long OldestSegment { get; set; }
}
