using System.Text.Json.Serialization;

namespace DistIpam.Core.Allocation;

/// <summary>
/// One allocation in a <see cref="BlockSnapshot"/>. Short JSON names and omitted empty attributes
/// keep a block state small; the names are the stored format and are never renamed or reused.
/// </summary>
/// <param name="Offset">The address's offset from the block's network address (JSON "o").</param>
/// <param name="HandleId">The holder (JSON "h").</param>
/// <param name="Sequence">The allocation's sequence number (JSON "s").</param>
/// <param name="Node">The node attribute (JSON "n", omitted when null).</param>
/// <param name="PodNamespace">The pod namespace attribute (JSON "ns", omitted when null).</param>
/// <param name="PodName">The pod name attribute (JSON "p", omitted when null).</param>
/// <param name="PodUid">The pod UID attribute (JSON "u", omitted when null).</param>
/// <param name="AllocatedAtUnixMs">When it was allocated, Unix milliseconds (JSON "t").</param>
/// <param name="HandleGeneration">The holder's generation (JSON "g", omitted when 0).</param>
public sealed record BlockSnapshotEntry(
    [property: JsonPropertyName("o")] int Offset,
    [property: JsonPropertyName("h")] string HandleId,
    [property: JsonPropertyName("s")] ulong Sequence,
    [property: JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node,
    [property: JsonPropertyName("ns"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PodNamespace,
    [property: JsonPropertyName("p"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PodName,
    [property: JsonPropertyName("u"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PodUid,
    [property: JsonPropertyName("t")] long AllocatedAtUnixMs,
    [property: JsonPropertyName("g"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ulong HandleGeneration = 0);
