namespace DistIpam.Server.Gc;

/// <summary>Whether this silo is the oldest active one, which runs the cluster-wide scans (GC, pool sampling) once for all.</summary>
public sealed class ScanningSilo(IClusterMembershipService membership, ILocalSiloDetails silo)
{
    /// <summary>True on the oldest active silo (and on a silo that sees no active member yet).</summary>
    public bool IsThisSilo()
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        return active.Count == 0 || active.OrderBy(a => a.Generation).ThenBy(a => a.ToString(), StringComparer.Ordinal).First().Equals(silo.SiloAddress);
    }
}
