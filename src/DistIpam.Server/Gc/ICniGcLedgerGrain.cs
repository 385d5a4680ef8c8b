namespace DistIpam.Server.Gc;

/// <summary>
/// What CNI GC calls of one node (key = node name) saw: handles held on the node that the
/// runtime's valid list left out, for the GC controller to release after its grace and a second
/// observation (with <see cref="GcOptions.DeferCniGc"/>, the default). Not reentrant; answers
/// after its write.
/// </summary>
public interface ICniGcLedgerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records one CNI GC call of the network whose handle keys start with
    /// <paramref name="networkPrefix"/>: each of <paramref name="absent"/> (handle and its leases; the times are ignored)
    /// counts one more observation when it was recorded before with the same leases, else starts
    /// again at one; a recorded handle of that network the call did not leave out (valid now, or
    /// gone) is forgotten. Returns the handles' entries after the call.
    /// </summary>
    Task<IReadOnlyList<CniGcAbsence>> ObserveAsync(string networkPrefix, IReadOnlyList<CniGcAbsence> absent);

    /// <summary>Every recorded absence.</summary>
    Task<IReadOnlyList<CniGcAbsence>> ListAsync();

    /// <summary>Forgets the entry of <paramref name="handle"/> if it is still the one first observed at <paramref name="firstObservedUnixMs"/>.</summary>
    Task ForgetAsync(string handle, long firstObservedUnixMs);
}
