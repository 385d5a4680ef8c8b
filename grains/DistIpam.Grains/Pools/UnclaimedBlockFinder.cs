using System.Globalization;
using DistIpam.Core.Addressing;
using DistIpam.Core.Pools;

namespace DistIpam.Grains.Pools;

/// <summary>
/// Picks the next block of a pool to claim: round-robin from the stored index, skipping claimed
/// blocks and blocks a reserved range covers whole. Only claimed blocks are stored, so the search
/// walks block indexes (an IPv6 pool has 2^66 blocks) within a bound.
/// </summary>
internal static class UnclaimedBlockFinder
{
    // Bounds the search for an unclaimed block when reserved ranges swallow whole blocks.
    private const int MaxFullyReservedBlocksSkipped = 65_536;

    /// <summary>The next unclaimed block (advancing <see cref="PoolState.NextBlockIndex"/>), or null when none is left.</summary>
    public static string? Next(PoolSpec spec, PoolState state)
    {
        var count = spec.Cidr.BlockCount(spec.BlockPrefixLength);
        var index = UInt128.Parse(state.NextBlockIndex, CultureInfo.InvariantCulture) % count;
        var budget = (UInt128)(state.Claims.Count + 1 + MaxFullyReservedBlocksSkipped);
        for (UInt128 tried = 0; tried < count && tried < budget; tried++)
        {
            var candidate = spec.Cidr.BlockAt(spec.BlockPrefixLength, index);
            index = (index + 1) % count;
            var text = candidate.ToString();
            if (!state.Claims.ContainsKey(text) && !FullyReserved(candidate, spec))
            {
                state.NextBlockIndex = index.ToString(CultureInfo.InvariantCulture);
                return text;
            }
        }

        return null;
    }

    private static bool FullyReserved(IpPrefix block, PoolSpec spec) =>
        spec.ReservedRanges.Any(r => r.Contains(block.First) && r.Contains(block.Last));
}
