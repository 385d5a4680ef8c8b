namespace DistIpam.Grains.Services;

/// <summary>
/// The sequencer and change log of every service and slice (single key <see cref="Key"/>). Every
/// change gets the next version, durably, before it is acknowledged; the last
/// <c>ServiceOptions.RetainedEvents</c> events are kept (in durable segments) for watchers to
/// resume from. Reentrant with group commit.
/// </summary>
public interface IServiceFeedGrain : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    const string Key = "feed";

    /// <summary>
    /// Gives <paramref name="events"/> consecutive versions and answers them (in order) once they
    /// are durable. Idempotent by <see cref="ServiceEvent.Batch"/> while the feed still remembers
    /// the batch (its last few thousand appends, and the unsealed tail after a restart): a batch it
    /// holds is answered with its versions and not appended again. A batch it has forgotten is
    /// appended again, which watchers see as a repeated state (harmless: replaying converges).
    /// <c>Unavailable</c> after a failed write (retry).
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<ServiceEvent> events);

    /// <summary>
    /// Up to <paramref name="max"/> durable events with versions greater than <paramref name="after"/>;
    /// <see cref="FeedPage.TooOld"/> when events after it are no longer retained.
    /// </summary>
    Task<FeedPage> ReadAsync(long after, int max);

    /// <summary>
    /// Long poll: completes with the newest durable version as soon as it is greater than
    /// <paramref name="after"/>, or after <paramref name="timeout"/> with the current one.
    /// </summary>
    Task<long> WaitAsync(long after, TimeSpan timeout);
}
