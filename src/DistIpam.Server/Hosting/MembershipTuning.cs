using Orleans.Configuration;

namespace DistIpam.Server.Hosting;

/// <summary>
/// Failure detection tuned to notice a dead silo in seconds, not the default tens of seconds.
/// The trade-off: a silo stalled for more than ~2 s (a long GC pause, an overloaded host) may be
/// declared dead and has to restart; its grains then move, which costs a few retries but never
/// correctness (every write is ETag-checked). See docs/operations.md.
/// </summary>
public static class MembershipTuning
{
    /// <summary>Applies the tuning.</summary>
    public static void Apply(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A probe that gets no answer within 1 s counts as missed; two misses make a suspicion.
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.MinProbeTimeout = TimeSpan.FromMilliseconds(500);
        options.NumMissedProbesLimit = 2;

        // With three silos, the two survivors both vote; one vote would let a single confused
        // silo evict a healthy one.
        options.NumVotesForDeathDeclaration = 2;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);

        // Read the membership table often so every silo learns of a death quickly.
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
