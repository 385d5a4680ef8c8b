using DistIpam.Api.V1;

namespace DistIpam.Server.Gc;

/// <summary>One tracked candidate (immutable; a pass replaces the whole set).</summary>
/// <param name="Kind">One of the kind constants.</param>
/// <param name="Key">The handle key, node name, or "range value (service)".</param>
/// <param name="FirstSeenUnixMs">When it was first seen (by a pass in an unbroken run of passes; for <see cref="CniAbsentKind"/>, by the CNI GC call that first left it out).</param>
/// <param name="Observations">Consecutive passes that saw it.</param>
/// <param name="LastSeenUnixMs">For nodes: the lease's last heartbeat when seen (a heartbeat since makes it a new candidate); for <see cref="CniAbsentKind"/>, the first CNI GC call's time (an absence recorded anew is a new candidate).</param>
public sealed record GcCandidateState(string Kind, string Key, long FirstSeenUnixMs, int Observations, long LastSeenUnixMs)
{
    public const string HandleKind = "handle-without-addresses";

    public const string NodeKind = "expired-node";

    public const string CniAbsentKind = "absent-from-cni-gc";

    public const string ClusterIpKind = "cluster-ip-without-service";

    public const string NodePortKind = "node-port-without-service";

    /// <summary>For <see cref="CniAbsentKind"/>: the node whose CNI GC left the handle out.</summary>
    public string? Node { get; init; }

    /// <summary>For the service kinds: the value and its holder.</summary>
    public LeakedServiceValue? Value { get; init; }

    /// <summary>The identity across passes.</summary>
    public string Id => $"{Kind}|{Key}|{LastSeenUnixMs}";

    /// <summary>Whether it may be acted on at <paramref name="nowUnixMs"/>.</summary>
    public bool IsDue(long nowUnixMs, TimeSpan grace) => Observations >= 2 && nowUnixMs - FirstSeenUnixMs >= (long)grace.TotalMilliseconds;
}
