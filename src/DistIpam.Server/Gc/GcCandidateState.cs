namespace DistIpam.Server.Gc;

/// <summary>One tracked candidate (immutable; a pass replaces the whole set).</summary>
/// <param name="Kind">"handle-without-addresses" or "expired-node".</param>
/// <param name="Key">The handle key or node name.</param>
/// <param name="FirstSeenUnixMs">When a pass first saw it (in an unbroken run of passes).</param>
/// <param name="Observations">Consecutive passes that saw it.</param>
/// <param name="LastSeenUnixMs">For nodes: the lease's last heartbeat when seen (a heartbeat since makes it a new candidate).</param>
public sealed record GcCandidateState(string Kind, string Key, long FirstSeenUnixMs, int Observations, long LastSeenUnixMs)
{
    public const string HandleKind = "handle-without-addresses";

    public const string NodeKind = "expired-node";

    /// <summary>The identity across passes.</summary>
    public string Id => $"{Kind}|{Key}|{LastSeenUnixMs}";

    /// <summary>Whether it may be acted on at <paramref name="nowUnixMs"/>.</summary>
    public bool IsDue(long nowUnixMs, TimeSpan grace) => Observations >= 2 && nowUnixMs - FirstSeenUnixMs >= (long)grace.TotalMilliseconds;
}
