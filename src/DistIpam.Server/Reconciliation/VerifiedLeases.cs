using DistIpam.Grains.Blocks;

namespace DistIpam.Server.Reconciliation;

/// <summary>
/// Block allocations the reconciler has already seen recorded by their handle, so a scan reads
/// only the handles of allocations it has not verified yet instead of every handle of the cluster
/// each interval. A verified allocation can still become an orphan (a release that cleared the
/// record and then met an outage on its way to the block, in a silo that then died): every
/// <see cref="ReconcileOptions.FullScanEvery"/>th scan forgets everything and reads every handle again.
/// </summary>
internal sealed class VerifiedLeases
{
    private HashSet<string> _verified = new(StringComparer.Ordinal);
    private HashSet<string> _next = new(StringComparer.Ordinal);

    /// <summary>Allocations currently known to be recorded by their handle.</summary>
    public int Count => _verified.Count;

    /// <summary>
    /// True when the handle holding <paramref name="leases"/> must be read: one of them is old enough
    /// to be an orphan (at or before <paramref name="cutoffUnixMs"/>) and not yet verified.
    /// </summary>
    public bool NeedsRead(IEnumerable<AddressLease> leases, long cutoffUnixMs) =>
        leases.Any(l => l.AllocatedAtUnixMs <= cutoffUnixMs && !_verified.Contains(Key(l)));

    /// <summary>Keeps, for the next scan, allocations this scan saw recorded (read now, or verified before).</summary>
    public void Keep(IEnumerable<AddressLease> recorded)
    {
        foreach (var lease in recorded)
        {
            _next.Add(Key(lease));
        }
    }

    /// <summary>Ends a scan: what it kept is what the next one trusts; released allocations drop out.</summary>
    public void EndScan()
    {
        (_verified, _next) = (_next, _verified);
        _next.Clear();
    }

    /// <summary>Forgets everything: the next scan reads every handle.</summary>
    public void Forget()
    {
        _verified.Clear();
        _next.Clear();
    }

    private static string Key(AddressLease lease) => $"{lease.Pool}|{lease.Address}|{lease.Sequence}|{lease.HandleId}";
}
