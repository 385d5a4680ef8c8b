namespace DistIpam.Grains.Blocks;

/// <summary>
/// The stored state of a block grain. Ids are never reused or renumbered: stored blocks must stay
/// readable across versions. <see cref="Settings"/> is null while the block is unclaimed.
/// </summary>
[GenerateSerializer]
public sealed class BlockState
{
    /// <summary>Owner and pool-derived settings; null = not claimed.</summary>
    [Id(0)] public BlockSettings? Settings { get; set; }

    /// <summary>Next allocation sequence number (never reused).</summary>
    [Id(1)] public ulong NextSequence { get; set; }

    /// <summary>Next-fit cursor (offset).</summary>
    [Id(2)] public int Cursor { get; set; }

    /// <summary>Held addresses.</summary>
    [Id(3)] public List<StoredAllocation> Allocations { get; set; } = [];

    /// <summary>Recently released addresses still cooling down.</summary>
    [Id(4)] public List<StoredCooldown> Cooldowns { get; set; } = [];
}
