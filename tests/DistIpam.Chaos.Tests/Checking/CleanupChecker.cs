using DistIpam.Chaos.Tests.Observation;

namespace DistIpam.Chaos.Tests.Checking;

/// <summary>
/// Invariant 6 after a schedule released every handle and drained every node: nothing of the
/// schedule is left anywhere (storage, claims, usage, the consistency report) without an
/// operator step. Pure, like <see cref="InvariantChecker"/>.
/// </summary>
internal static class CleanupChecker
{
    /// <summary>Every trace of the schedule <paramref name="scope"/> still in <paramref name="observed"/>.</summary>
    public static IReadOnlyList<Violation> Check(CheckScope scope, ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(observed);
        var violations = new List<Violation>();
        foreach (var allocation in observed.StoredAllocations.Where(a => scope.OwnsHandle(a.HandleId) || scope.OwnsNode(a.Node)))
        {
            violations.Add(new Violation(6, $"after releasing everything, storage still holds {allocation}", ""));
        }

        foreach (var claim in observed.Claims.Where(c => scope.OwnsNode(c.Node)))
        {
            violations.Add(new Violation(6, $"after draining every node, block {claim.Pool}|{claim.Cidr} is still claimed ({claim.Claim}) by {claim.Node} with {claim.Used} used", ""));
        }

        foreach (var usage in observed.NodeUsage.Where(u => scope.OwnsNode(u.Node) && u.Allocated > 0))
        {
            violations.Add(new Violation(6, $"after releasing everything, node {usage.Node} still has {usage.Allocated} allocated in {usage.Pool}", ""));
        }

        if (observed.Consistency is { } report)
        {
            var lines = report.OrphanedAddresses.Select(o => $"orphaned {o.Address} in {o.Pool}|{o.Block} for {o.Handle}: {o.Reason}")
                .Concat(report.HandlesWithoutAddresses.Select(h => $"handle without addresses: {h}"))
                .Concat(report.PendingClaims.Select(p => $"pending claim: {p}"))
                .Where(scope.Mentions);
            violations.AddRange(lines.Select(line => new Violation(6, $"Pools.CheckConsistency is not clean: {line}", "")));
        }
        else
        {
            violations.Add(new Violation(6, "Pools.CheckConsistency did not answer", ""));
        }

        return violations;
    }
}
