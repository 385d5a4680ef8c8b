namespace DistIpam.Grains.Services;

/// <summary>
/// A sealed, durable run of feed events (key = segment number: versions n*S+1 .. (n+1)*S for the
/// segment size S). Written once by the feed grain (a rewrite after a failed seal is allowed and
/// replaces the content), read by watchers catching up, cleared when it falls out of retention.
/// </summary>
public interface IServiceFeedSegmentGrain : IGrainWithIntegerKey
{
    /// <summary>Stores <paramref name="events"/>, replacing any content; answers once durable.</summary>
    Task WriteAsync(IReadOnlyList<ServiceEvent> events);

    /// <summary>The stored events (empty if none).</summary>
    Task<IReadOnlyList<ServiceEvent>> ReadAsync();

    /// <summary>Deletes the segment. Idempotent.</summary>
    Task ClearAsync();
}
