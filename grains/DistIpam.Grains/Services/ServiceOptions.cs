using DistIpam.Core.Allocation;

namespace DistIpam.Grains.Services;

/// <summary>Tuning of the service grains (configuration section <c>DistIpam:Services</c>).</summary>
public sealed class ServiceOptions
{
    /// <summary>The first NodePort. Default 30000 (Kubernetes).</summary>
    public int NodePortFirst { get; set; } = PortRangeAllocator.DefaultFirst;

    /// <summary>The last NodePort, inclusive. Default 32767 (Kubernetes).</summary>
    public int NodePortLast { get; set; } = PortRangeAllocator.DefaultLast;

    /// <summary>The most endpoints one slice holds. Default 100 (Kubernetes).</summary>
    public int MaxEndpointsPerSlice { get; set; } = 100;

    /// <summary>
    /// How many feed events are kept for watchers to resume from (rounded up to whole segments).
    /// A watch from an older version gets OUT_OF_RANGE and relists. Default 10,000.
    /// </summary>
    public int RetainedEvents { get; set; } = 10_000;

    /// <summary>
    /// How many events one durable feed segment holds; the feed's own state carries at most this
    /// many (the unsealed tail), so it bounds the size of the feed's writes. Default 64.
    /// </summary>
    public int FeedSegmentSize { get; set; } = 64;

    /// <summary>
    /// How long a ClusterIP or NodePort must stay unheld by its service (two observations at least
    /// this far apart) before the reconciliation frees it. Default 2 minutes: longer than any
    /// create or update that is still in flight.
    /// </summary>
    public TimeSpan ReconcileGracePeriod { get; set; } = TimeSpan.FromMinutes(2);
}
