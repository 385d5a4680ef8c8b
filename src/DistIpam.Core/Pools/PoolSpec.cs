using DistIpam.Core.Addressing;

namespace DistIpam.Core.Pools;

/// <summary>
/// The configuration of one pool: a named CIDR of one family carved into aligned blocks.
/// Plain data: <see cref="PoolValidator"/> decides whether it is acceptable. Equality compares
/// <see cref="ReservedRanges"/> by content, so an update that changes nothing can be recognised.
/// </summary>
public sealed record PoolSpec
{
    /// <summary>The pool name (lowercase letters, digits and '-', 1-63), e.g. "pods-v4".</summary>
    public required string Name { get; init; }

    /// <summary>The pool's network, e.g. 10.244.0.0/16 or fd00:10:244::/56.</summary>
    public required IpPrefix Cidr { get; init; }

    /// <summary>
    /// The prefix length of the blocks nodes claim; <see cref="DefaultBlockPrefixLength"/> gives
    /// the usual /26 (IPv4) or /122 (IPv6).
    /// </summary>
    public required int BlockPrefixLength { get; init; }

    /// <summary>Pod or Service addresses; <see cref="PoolKind.Pod"/> unless set.</summary>
    public PoolKind Kind { get; init; } = PoolKind.Pod;

    /// <summary>Ranges inside <see cref="Cidr"/> that are never handed out; empty unless set.</summary>
    public IReadOnlyList<IpRange> ReservedRanges { get; init; } = [];

    /// <summary>
    /// When true a node only allocates from blocks it has affinity to and never borrows from
    /// another node's block, even when the pool has no free block left.
    /// </summary>
    public bool StrictAffinity { get; init; }

    /// <summary>The most blocks one node may claim from this pool; 0 (the default) is unlimited.</summary>
    public int MaxBlocksPerNode { get; init; }

    /// <summary>A disabled pool keeps its allocations but hands out no new addresses or blocks.</summary>
    public bool Disabled { get; init; }

    /// <summary>How pods are wired; <see cref="PoolWiring.Bridged"/> unless set.</summary>
    public PoolWiring Wiring { get; init; } = PoolWiring.Bridged;

    /// <summary>The address family, that of <see cref="Cidr"/>.</summary>
    public IpFamily Family => Cidr.Family;

    /// <summary>The usual block prefix length: /26 (64 addresses) for IPv4, /122 (64 addresses) for IPv6.</summary>
    public static int DefaultBlockPrefixLength(IpFamily family) => family == IpFamily.V4 ? 26 : 122;

    /// <inheritdoc />
    public bool Equals(PoolSpec? other) =>
        other is not null
        && Name == other.Name
        && Cidr == other.Cidr
        && BlockPrefixLength == other.BlockPrefixLength
        && Kind == other.Kind
        && StrictAffinity == other.StrictAffinity
        && MaxBlocksPerNode == other.MaxBlocksPerNode
        && Disabled == other.Disabled
        && Wiring == other.Wiring
        && RangesEqual(ReservedRanges, other.ReservedRanges);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Cidr);
        hash.Add(BlockPrefixLength);
        hash.Add(Kind);
        hash.Add(StrictAffinity);
        hash.Add(MaxBlocksPerNode);
        hash.Add(Disabled);
        hash.Add(Wiring);
        foreach (var range in ReservedRanges ?? [])
        {
            hash.Add(range);
        }

        return hash.ToHashCode();
    }

    // Null lists are tolerated because deserialized input may carry them; they equal empty.
    private static bool RangesEqual(IReadOnlyList<IpRange>? left, IReadOnlyList<IpRange>? right) =>
        (left ?? []).SequenceEqual(right ?? []);
}
