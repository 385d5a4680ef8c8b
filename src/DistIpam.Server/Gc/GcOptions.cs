namespace DistIpam.Server.Gc;

/// <summary>The GC controller (configuration section <c>DistIpam:Gc</c>).</summary>
public sealed class GcOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DistIpam:Gc";

    /// <summary>Whether periodic passes run. Default true (<c>gc run</c> works either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a pass runs (on one silo). Default 1 min.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a candidate must be seen before it is acted on (and in two passes at least). Default 15 min.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Drain nodes whose lease expired (after the grace). Default false: reported only.</summary>
    public bool AutoReleaseExpiredNodes { get; set; }

    /// <summary>
    /// CNI GC (<c>Ipam.GarbageCollect</c>) records the handles the runtime's valid list leaves out
    /// instead of releasing them, and the GC controller releases each after the grace and a second
    /// observation (a later pass that finds it still recorded and still holding the same addresses).
    /// Default true: a valid list computed before an ADD finished must not cost that pod its
    /// address. False releases at once, as the CNI spec words it.
    /// </summary>
    public bool DeferCniGc { get; set; } = true;
}
