using DistIpam.Grains.Handles;
using DistIpam.Server.Nodes;

namespace DistIpam.Server.Gc;

/// <summary>
/// The GC's CNI GC candidates: handles the nodes' ledgers (<see cref="ICniGcLedgerGrain"/>) record
/// as left out of the runtime's valid list. Due after the grace since the CNI GC call that first
/// left one out and a second observation (a later pass that finds the entry still recorded: no CNI
/// GC call since listed the handle as valid); re-checked just before acting: the ledger still has
/// the same entry and the handle's record holds exactly the addresses, under the same sequences,
/// that it held when first left out (a DEL and a new ADD since means a new pod). Released whole
/// through the handle grain, as a DEL.
/// </summary>
public sealed class CniAbsenceGc(IGrainFactory grains, NodeDirectory nodes, History.HistoryRecorder history)
{
    /// <summary>Every node's recorded absences.</summary>
    public async Task<IEnumerable<GcCandidateState>> ObserveAsync()
    {
        var seen = new List<GcCandidateState>();
        foreach (var node in await nodes.ListAsync())
        {
            seen.AddRange((await grains.GetGrain<ICniGcLedgerGrain>(node.Name).ListAsync()).Select(a =>
                new GcCandidateState(GcCandidateState.CniAbsentKind, a.Handle, a.FirstObservedUnixMs, 1, a.FirstObservedUnixMs) { Node = node.Name }));
        }

        return seen;
    }

    /// <summary>Releases the handle if the re-check holds; false when spared.</summary>
    public async Task<bool> ActAsync(GcCandidateState candidate, GcPassResult result)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(result);
        var node = candidate.Node ?? throw new InvalidOperationException($"candidate {candidate.Id} has no node");
        var ledger = grains.GetGrain<ICniGcLedgerGrain>(node);
        var entry = (await ledger.ListAsync()).FirstOrDefault(a => a.Handle == candidate.Key && a.FirstObservedUnixMs == candidate.FirstSeenUnixMs);
        if (entry is null)
        {
            // A CNI GC call since listed it as valid (or left it out holding other addresses).
            return false;
        }

        var handle = grains.GetGrain<IHandleGrain>(candidate.Key);
        var record = await handle.GetAsync();
        var holds = record?.Leases.Select(CniGarbageCollector.LeaseKey).Order(StringComparer.Ordinal).ToList() ?? [];
        if (record is null || record.Node != node || !holds.SequenceEqual(entry.Leases, StringComparer.Ordinal))
        {
            // Released since, or a new pod under the same handle: nothing of what was left out is held.
            await ledger.ForgetAsync(entry.Handle, entry.FirstObservedUnixMs);
            return false;
        }

        // The handle checks its record again in the same turn as the release: a DEL and a new ADD
        // since the re-check above are a new pod, and keep their addresses.
        var released = await handle.ReleaseIfHoldsAsync(record.Leases);
        if (released is null)
        {
            await ledger.ForgetAsync(entry.Handle, entry.FirstObservedUnixMs);
            return false;
        }

        history.Released(candidate.Key, released, "gc", "CNI GC: left out of the runtime's valid list");
        await ledger.ForgetAsync(entry.Handle, entry.FirstObservedUnixMs);
        result.HandlesReleased++;
        result.AddressesReleased += released.Count;
        return true;
    }
}
