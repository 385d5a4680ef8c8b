namespace DistIpam.Grains.Services;

/// <summary>
/// The ClusterIPs of one service pool (key = pool name): Core's <c>ServiceRangeAllocator</c>
/// behind a reentrant grain with group commit. Answers only after the change is durable.
/// </summary>
public interface IClusterIpRangeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Allocates <paramref name="requested"/> (idempotent if <paramref name="holder"/> holds it;
    /// <c>AlreadyExists</c> naming the holder otherwise; <c>InvalidArgument</c> outside the range,
    /// network or broadcast), or a dynamic address when null: idempotent per holder (a service
    /// holds one ClusterIP per pool), so the address <paramref name="holder"/> already holds here is
    /// answered again, else a free one (<c>Exhausted</c> naming the pool when none is free). <paramref name="cidr"/> is the pool's CIDR; <c>FailedPrecondition</c> if the
    /// grain holds addresses of a different CIDR (the pool was recreated while in use).
    /// </summary>
    Task<string> AllocateAsync(string cidr, string holder, string? requested);

    /// <summary>Frees <paramref name="address"/> if <paramref name="holder"/> holds it. Idempotent: false otherwise.</summary>
    Task<bool> ReleaseAsync(string holder, string address);

    /// <summary>
    /// Frees <paramref name="address"/> only if <paramref name="holder"/> holds it here and, asked
    /// now (<see cref="IServiceGrain.HoldingsAsync"/>), its service does not, with nothing handed
    /// out to it since the question; the free is in the same turn as the answer. For a check
    /// report's leak (the report was the first observation). False when it kept the address;
    /// <c>Unavailable</c> when the service cannot tell.
    /// </summary>
    Task<bool> ReleaseUnheldAsync(string holder, string address);

    /// <summary>Every allocated address with its holder.</summary>
    Task<IReadOnlyList<HeldValue>> ListAsync();

    /// <summary>
    /// Frees addresses their holder no longer holds: asks each holder's <see cref="IServiceGrain"/>
    /// (<see cref="IServiceGrain.HoldingsAsync"/>); an address is freed only when its holder
    /// answered "not held" twice, at least <c>ServiceOptions.ReconcileGracePeriod</c> apart, with
    /// no allocation for that holder since the first answer, and it is freed in the same turn as
    /// the second answer. A holder that answers "held" or fails to answer keeps it. Returns what
    /// was freed (durably). Concurrent calls share one pass.
    /// </summary>
    Task<IReadOnlyList<HeldValue>> ReconcileAsync();
}
