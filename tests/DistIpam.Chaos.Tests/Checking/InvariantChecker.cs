using DistIpam.Chaos.Tests.Model;
using DistIpam.Chaos.Tests.Observation;
using Grpc.Core;

namespace DistIpam.Chaos.Tests.Checking;

/// <summary>
/// Compares what was acknowledged (the model's handle snapshots) with what the cluster shows
/// (an <see cref="ObservedState"/>): invariants 1-5 of docs/chaos.md. Pure: no I/O, so it is
/// unit-tested on hand-made histories.
/// </summary>
internal static class InvariantChecker
{
    /// <summary>Every violation of invariants 1-5 in <paramref name="observed"/>.</summary>
    public static IReadOnlyList<Violation> Check(IReadOnlyList<HandleSnapshot> handles, ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(handles);
        ArgumentNullException.ThrowIfNull(observed);
        var violations = new List<Violation>();
        NoAddressHeldTwice(handles, observed, violations);
        foreach (var handle in handles)
        {
            var check = observed.Checks.GetValueOrDefault(handle.Key);
            var stored = observed.StoredAllocations.Where(a => a.HandleId == handle.Key).ToList();
            HeldStaysHeld(handle, check, stored, observed, violations);
            ReleasedStaysReleased(handle, check, stored, violations);
            DualStackAllOrNothing(handle, check, stored, violations);
        }

        InsidePoolsAndBlocksOwnedOnce(observed, violations);
        return violations;
    }

    // Invariant 1: through the API (Check answers, the consistency report) and in storage.
    private static void NoAddressHeldTwice(IReadOnlyList<HandleSnapshot> handles, ObservedState observed, List<Violation> violations)
    {
        var viaCheck = observed.Checks.Values.Where(c => c.Answered)
            .SelectMany(c => c.Held.Select(a => (Address: a, c.Key)))
            .GroupBy(x => x.Address, StringComparer.Ordinal)
            .Where(g => g.Select(x => x.Key).Distinct().Count() > 1);
        foreach (var clash in viaCheck)
        {
            violations.Add(new Violation(1, $"{clash.Key} is held by {string.Join(" and ", clash.Select(x => x.Key).Distinct())} (Ipam.Check)", Histories(handles, clash.Select(x => x.Key))));
        }

        var inStorage = observed.StoredAllocations
            .GroupBy(a => (a.Pool, a.Address))
            .Where(g => g.Select(a => a.HandleId).Distinct().Count() > 1);
        foreach (var clash in inStorage)
        {
            violations.Add(new Violation(1, $"{clash.Key.Address} is stored for {string.Join(" and ", clash.Select(a => a.HandleId).Distinct())}", string.Join("; ", clash)));
        }

        // A held handle's acknowledged address that storage records for another handle: the other
        // was given it too (its block may have been written by a second activation since).
        var storedHolder = observed.StoredAllocations.GroupBy(a => a.Address, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var handle in handles.Where(h => h.Status == HandleStatus.Held))
        {
            foreach (var address in handle.Addresses)
            {
                var others = storedHolder.GetValueOrDefault(address, []).Where(a => a.HandleId != handle.Key).ToList();
                if (others.Count > 0)
                {
                    violations.Add(new Violation(1, $"{address} was acknowledged to {handle.Key} but storage records it for {string.Join(", ", others.Select(o => o.HandleId))}", $"{handle.Key}: {string.Join(" | ", handle.History)}; stored: {string.Join("; ", others)}"));
                }
            }
        }

        foreach (var duplicate in observed.Consistency?.Duplicates ?? [])
        {
            violations.Add(new Violation(1, $"Pools.CheckConsistency reports a duplicate: {duplicate}", ""));
        }
    }

    // Invariant 2: acknowledged and not released = still held, same addresses (Check and storage).
    private static void HeldStaysHeld(HandleSnapshot handle, HandleObservation? check, List<StoredAllocationView> stored, ObservedState observed, List<Violation> violations)
    {
        if (handle.Status != HandleStatus.Held)
        {
            return;
        }

        if (check is { Answered: true, Code: not StatusCode.OK })
        {
            violations.Add(new Violation(2, $"acknowledged allocation of {handle.Key} ({string.Join(", ", handle.Addresses)}) is lost: Check answered {check.Code} {check.Detail}", string.Join(" | ", handle.History)));
        }

        if (observed.StoredBlocks.Count == 0)
        {
            return;
        }

        var missing = handle.Addresses.Except(stored.Select(s => s.Address), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            violations.Add(new Violation(2, $"acknowledged allocation of {handle.Key}: storage has no record of {string.Join(", ", missing)}", $"{string.Join(" | ", handle.History)}; stored for it: [{string.Join("; ", stored)}]"));
        }
    }

    // Invariant 3: an acknowledged release stays released; nothing late re-creates the handle or keeps its addresses.
    private static void ReleasedStaysReleased(HandleSnapshot handle, HandleObservation? check, List<StoredAllocationView> stored, List<Violation> violations)
    {
        if (handle.Status != HandleStatus.Released)
        {
            return;
        }

        if (check is { Answered: true } && check.Code != StatusCode.NotFound)
        {
            violations.Add(new Violation(3, $"released handle {handle.Key} holds [{string.Join(", ", check.Held)}] again (Check answered {check.Code})", string.Join(" | ", handle.History)));
        }

        if (stored.Count > 0)
        {
            violations.Add(new Violation(3, $"released handle {handle.Key} still has addresses in storage: {string.Join("; ", stored)}", string.Join(" | ", handle.History)));
        }
    }

    // Invariant 4: a handle only ever asked for both families never holds one.
    private static void DualStackAllOrNothing(HandleSnapshot handle, HandleObservation? check, List<StoredAllocationView> stored, List<Violation> violations)
    {
        if (!handle.DualStackOnly)
        {
            return;
        }

        if (check is { Answered: true, Held.Count: > 0, HoldsBothFamilies: false })
        {
            violations.Add(new Violation(4, $"dual-stack handle {handle.Key} holds one family only: {string.Join(", ", check.Held)} (Check)", string.Join(" | ", handle.History)));
        }

        if (stored.Count > 0 && stored.Select(s => HandleObservation.FamilyOf(s.Address)).Distinct().Count() == 1)
        {
            violations.Add(new Violation(4, $"dual-stack handle {handle.Key} holds one family only in storage: {string.Join("; ", stored)}", string.Join(" | ", handle.History)));
        }
    }

    // Invariant 5: every address inside its pool and outside reserved ranges; a block has one owner.
    private static void InsidePoolsAndBlocksOwnedOnce(ObservedState observed, List<Violation> violations)
    {
        foreach (var allocation in observed.StoredAllocations)
        {
            var refusal = observed.Pools.TryGetValue(allocation.Pool, out var pool) ? pool.Refuses(allocation.Address) : $"unknown pool {allocation.Pool}";
            if (refusal is not null)
            {
                violations.Add(new Violation(5, $"stored allocation {allocation}: {refusal}", ""));
            }
        }

        foreach (var twice in observed.Claims.GroupBy(b => (b.Pool, b.Cidr)).Where(g => g.Select(b => b.Node).Distinct().Count() > 1))
        {
            violations.Add(new Violation(5, $"block {twice.Key.Pool}|{twice.Key.Cidr} is claimed by {string.Join(" and ", twice.Select(b => b.Node).Distinct())}", ""));
        }

        var storedOwner = observed.StoredBlocks.Where(b => b.Owner is not null).ToDictionary(b => (b.Pool, b.Block), b => b.Owner);
        foreach (var claim in observed.Claims.Where(c => c.Claim == "confirmed"))
        {
            if (storedOwner.TryGetValue((claim.Pool, claim.Cidr), out var owner) && owner != claim.Node)
            {
                violations.Add(new Violation(5, $"block {claim.Pool}|{claim.Cidr} is claimed for {claim.Node} by its pool but records owner {owner}", ""));
            }
        }
    }

    private static string Histories(IReadOnlyList<HandleSnapshot> handles, IEnumerable<string> keys)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        return string.Join("; ", handles.Where(h => wanted.Contains(h.Key)).Select(h => $"{h.Key}: {string.Join(" | ", h.History)}"));
    }
}
