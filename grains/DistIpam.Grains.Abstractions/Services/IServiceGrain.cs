namespace DistIpam.Grains.Services;

/// <summary>
/// One service (key <see cref="ServiceKey"/>): its spec, ClusterIPs, NodePorts and endpoints
/// grouped into slices. Not reentrant: changes to one service are serialized. Every change is
/// written to the service's state first and appended to the <see cref="IServiceFeedGrain"/>
/// (which gives it its version) only after that write, so a watcher never sees a change storage
/// does not hold; it is acknowledged after both. A change whose append failed is durable and is
/// published later (<see cref="PublishPendingAsync"/>); its call fails with <c>Unavailable</c>.
/// Storage failures surface as <c>Unavailable</c> (retryable).
/// </summary>
public interface IServiceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the service, allocating all of its ClusterIPs and NodePorts or none: on a refusal
    /// what was taken is released before the error returns; what could not be given back (the
    /// release failed, or the state write's outcome is unknown) stays recorded in its range grain
    /// under this service's key, and <see cref="IServiceReconcilerGrain"/> frees it once this
    /// grain's durable state shows it does not hold it. <c>AlreadyExists</c> if it exists;
    /// <c>InvalidArgument</c> naming the field for a request the family policy refuses;
    /// <c>AlreadyExists</c> for a requested IP or NodePort held by another service;
    /// <c>Exhausted</c> naming the pool or range when nothing is free. Not idempotent: a retry
    /// after a lost reply sees <c>AlreadyExists</c>.
    /// </summary>
    Task<ServiceRecord> CreateAsync(ServiceRequest request);

    /// <summary>
    /// Replaces the spec following Kubernetes: the primary family and ClusterIP never change, a
    /// secondary family can be added (allocated) or removed (released), NodePorts are kept for
    /// ports that keep their number and protocol unless another is asked for. All or nothing;
    /// idempotent (the same request twice changes nothing the second time). <c>NotFound</c> if absent.
    /// </summary>
    Task<ServiceRecord> UpdateAsync(ServiceRequest request);

    /// <summary>
    /// Deletes the service and its slices and releases its ClusterIPs and NodePorts. Idempotent:
    /// false when it did not exist.
    /// </summary>
    Task<bool> DeleteAsync();

    /// <summary>The service and its slices, or null if it does not exist.</summary>
    Task<ServiceSnapshot?> GetAsync();

    /// <summary>
    /// The ClusterIPs and NodePorts the service's durable state holds (none when it does not
    /// exist), for the reconciliation of the range grains. Serialized with the service's changes,
    /// so a change in progress answers after it is durable. <c>Unavailable</c> when the grain
    /// cannot tell (its last write failed): the caller must then keep what it holds.
    /// </summary>
    Task<ServiceHoldings> HoldingsAsync();

    /// <summary>
    /// Appends to the feed the service's last change if it is durable but not yet in the feed
    /// (its append failed, or the silo died before it); idempotent. True if there was one.
    /// <c>Unavailable</c> when the feed does not answer (the grain retries on a timer).
    /// </summary>
    Task<bool> PublishPendingAsync();

    /// <summary>
    /// Adds or replaces endpoints by target. Each goes to the slice of each of its address families
    /// that already holds it, else to the first slice with room, else to a new slice; slices are
    /// never rebalanced, an unchanged endpoint changes nothing. Idempotent. <c>NotFound</c> if the
    /// service does not exist.
    /// </summary>
    Task<ServiceSnapshot> UpsertEndpointsAsync(IReadOnlyList<EndpointRecord> endpoints);

    /// <summary>
    /// Removes endpoints by target; a slice left empty is deleted. Idempotent: unknown targets are
    /// ignored. <c>NotFound</c> if the service does not exist.
    /// </summary>
    Task<ServiceSnapshot> RemoveEndpointsAsync(IReadOnlyList<string> targets);
}
