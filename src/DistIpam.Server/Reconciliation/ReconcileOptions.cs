namespace DistIpam.Server.Reconciliation;

/// <summary>
/// The server's own repair of addresses no handle holds (section <c>DistIpam:Reconcile</c>; DESIGN
/// rule 10 in docs/architecture.md: nothing acknowledged depends on an operator's cleanup).
/// </summary>
public sealed class ReconcileOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DistIpam:Reconcile";

    /// <summary>Whether the periodic scan runs. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the scan runs (on one silo of the cluster). Default 1 min.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Allocations younger than this are not candidates (an ADD may be writing its handle). Safety
    /// does not depend on it: the handle grain re-checks and fences before releasing. Default 15 s.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Every this many scans, one reads every handle again instead of only those of allocations not
    /// seen recorded before (which catches a recorded allocation whose record was later cleared
    /// without its block release). Default 10 (every 10 min with the default interval).
    /// </summary>
    public int FullScanEvery { get; set; } = 10;

    /// <summary>First retry delay of a release a handle could not do now. Default 1 s, doubling to 30 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most deferred releases kept in memory; beyond it the periodic scan finds them. Default 10,000.</summary>
    public int MaxDeferred { get; set; } = 10_000;
}
