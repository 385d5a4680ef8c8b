using System.Text.Json.Serialization;

namespace DistIpam.Core.Allocation;

/// <summary>
/// The whole state of a <see cref="BlockAllocator"/> as plain data, for grain storage. The JSON
/// names are deliberately short because a block state is rewritten on every group commit: a full
/// /26 with 60-character handle ids stays under 8 KB. They are the stored format: never rename
/// or reuse them.
/// </summary>
/// <param name="Block">The block CIDR as text ("10.244.3.64/26").</param>
/// <param name="NextSequence">The sequence number the next allocation gets; never goes back.</param>
/// <param name="Cursor">Where the next-fit search for a free address starts (an offset).</param>
/// <param name="Allocations">Every allocation, in address order.</param>
/// <param name="Cooldowns">Addresses released within the cooldown, oldest release first.</param>
public sealed record BlockSnapshot(
    [property: JsonPropertyName("block")] string Block,
    [property: JsonPropertyName("next")] ulong NextSequence,
    [property: JsonPropertyName("cursor")] int Cursor,
    [property: JsonPropertyName("allocs")] IReadOnlyList<BlockSnapshotEntry> Allocations,
    [property: JsonPropertyName("cool")] IReadOnlyList<CooldownEntry> Cooldowns);
