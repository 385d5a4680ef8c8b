namespace DistIpam.Server.Metrics;

/// <summary>
/// The <c>reason</c> label of <c>distipam_releases_total</c> (stable values, docs/operations.md
/// "Metrics"), from the actor every release path names to <see cref="History.HistoryRecorder.Released"/>:
/// counting there, not at each caller, is what keeps a new release path from going uncounted.
/// </summary>
public static class ReleaseReasons
{
    /// <summary>A CNI DEL (<c>Ipam.Release</c>).</summary>
    public const string Del = "del";

    /// <summary>A CNI GC call releasing at once (<c>Gc:DeferCniGc=false</c>).</summary>
    public const string CniGc = "cni-gc";

    /// <summary>The GC controller (a handle left out of a CNI GC, a handle without addresses).</summary>
    public const string Gc = "gc";

    /// <summary>A node drain: <c>nodes drain</c>, <c>Pools.ReleaseNode</c>, or the GC's drain of an expired node.</summary>
    public const string Drain = "drain";

    /// <summary>The server's reconciler (addresses no handle records).</summary>
    public const string Reconcile = "reconcile";

    /// <summary>An operator: <c>release --ip</c> or <c>release --from-report</c>.</summary>
    public const string Operator = "operator";

    /// <summary>An actor this list does not name yet.</summary>
    public const string Other = "other";

    /// <summary>The label for a release by <paramref name="actor"/>.</summary>
    public static string Of(string actor) => actor switch
    {
        "Ipam.Release" => Del,
        "Ipam.GarbageCollect" => CniGc,
        "gc" => Gc,
        "drain" => Drain,
        "reconciler" => Reconcile,
        "Addresses.ReleaseAddress" or "Pools.ReleaseFromReport" => Operator,
        _ => Other,
    };
}
