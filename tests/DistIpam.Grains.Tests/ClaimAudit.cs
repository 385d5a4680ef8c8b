using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Tests;

/// <summary>
/// What must hold between a pool's claims and its blocks once nothing is in flight
/// (docs/architecture.md, "Block lifecycle"): a block that holds an address or records an owner is
/// claimed by that owner, every confirmed claim's block records its node, and no claim is left
/// returning.
/// </summary>
internal static class ClaimAudit
{
    /// <summary>Every broken rule among <paramref name="blocks"/> of <paramref name="pool"/>, described; empty when all hold.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IpamDriver ipam, string pool, IEnumerable<string> blocks)
    {
        var claims = (await ipam.Pool(pool).ListClaimsAsync()).ToDictionary(c => c.Block, StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var block in blocks.Concat(claims.Keys).Distinct(StringComparer.Ordinal))
        {
            var usage = await ipam.Block(pool, block).GetUsageAsync();
            var claim = claims.GetValueOrDefault(block);
            if ((usage.Used > 0 || usage.Owner is not null) && claim is null)
            {
                violations.Add($"block {block} (owner {usage.Owner ?? "none"}, {usage.Used} used) is not claimed by the pool");
            }
            else if (claim is { Confirmed: true } && claim.Node != usage.Owner)
            {
                violations.Add($"block {block} is claimed by {claim.Node} but records owner {usage.Owner ?? "none"} ({usage.Used} used)");
            }

            if (claim is { Returning: true })
            {
                violations.Add($"claim of block {block} by {claim.Node} is still returning");
            }
        }

        return violations;
    }

    /// <summary>Fails naming every broken rule.</summary>
    public static async Task AssertHoldsAsync(IpamDriver ipam, string pool, IEnumerable<string> blocks, string context)
    {
        var violations = await ViolationsAsync(ipam, pool, blocks);
        Assert.True(violations.Count == 0, $"{context}: {string.Join("; ", violations)}");
    }

    /// <summary>The blocks of <paramref name="leases"/> that the node's own record does not list (drains and GC would miss them).</summary>
    public static async Task<IReadOnlyList<string>> UnrecordedAsync(IpamDriver ipam, string node, IEnumerable<AddressLease> leases)
    {
        var recorded = (await ipam.Node(node).ListBlocksAsync())
            .SelectMany(b => b.Owned.Concat(b.Borrowed).Select(block => BlockKey.Of(b.Pool, block)))
            .ToHashSet(StringComparer.Ordinal);
        return [.. leases.Select(l => BlockKey.Of(l.Pool, l.Block)).Where(k => !recorded.Contains(k)).Distinct()];
    }
}
