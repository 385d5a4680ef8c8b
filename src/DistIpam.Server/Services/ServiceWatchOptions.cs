namespace DistIpam.Server.Services;

/// <summary>The service API's edge settings (configuration section <c>DistIpam:Services</c>).</summary>
public sealed class ServiceWatchOptions
{
    /// <summary>The configuration section (shared with the grains' <c>ServiceOptions</c>).</summary>
    public const string Section = "DistIpam:Services";

    /// <summary>Service pools used when a request names none, the first one's family being the default primary. Default services-v4, services-v6.</summary>
    public List<string> DefaultServicePools { get; set; } = [];

    /// <summary>How often an idle watch gets a BOOKMARK. Default 5 s.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many events may wait for one watcher; a watcher with more is dropped with
    /// RESOURCE_EXHAUSTED so it never slows writers or other watchers. Default 1,000.
    /// </summary>
    public int WatcherBufferEvents { get; set; } = 1_000;

    /// <summary>How long one long poll of the feed waits for new events. Default 5 s.</summary>
    public TimeSpan FeedPollTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The pools after defaults.</summary>
    public IReadOnlyList<string> ResolvedServicePools => DefaultServicePools.Count > 0 ? DefaultServicePools : ["services-v4", "services-v6"];
}
