using System.Text.Json.Serialization;

namespace DistIpam.Core.Allocation;

/// <summary>
/// The state of a <see cref="PortRangeAllocator"/> as plain data, for grain storage. The JSON
/// names are the stored format and are never renamed or reused.
/// </summary>
/// <param name="First">The first port of the range.</param>
/// <param name="Last">The last port of the range (inclusive).</param>
/// <param name="Allocations">Every allocated port with its holder, in port order.</param>
public sealed record PortRangeSnapshot(
    [property: JsonPropertyName("first")] int First,
    [property: JsonPropertyName("last")] int Last,
    [property: JsonPropertyName("allocs")] IReadOnlyList<PortRangeSnapshotEntry> Allocations);
