namespace DistIpam.Grains.Services;

/// <summary>
/// The periodic repair of the service grains (single key <see cref="Key"/>): has every service
/// publish a durable change the feed lacks (<see cref="IServiceGrain.PublishPendingAsync"/>), and frees ClusterIPs and
/// NodePorts that no service holds any more (a create that failed part-way, a rollback or a
/// release that failed) through each range grain's <c>ReconcileAsync</c>. The server calls
/// <see cref="ReconcileAsync"/> on a timer; it is the "retried until done" of every give-back
/// the service grain could not finish (docs/services.md).
/// </summary>
public interface IServiceReconcilerGrain : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    const string Key = "services";

    /// <summary>
    /// One pass over every service in the index, then every service pool's range grain and the
    /// NodePort range. Safe to call at any
    /// time and from any silo (calls are serialized); a value is freed only after its holder said
    /// twice, at least <c>ServiceOptions.ReconcileGracePeriod</c> apart, that it does not hold it.
    /// A part that fails is reported in <see cref="ServiceReconcileReport.Failures"/> and retried by
    /// the next pass.
    /// </summary>
    Task<ServiceReconcileReport> ReconcileAsync();
}
