using System.Text.Json.Serialization;

namespace DistIpam.Core.Allocation;

/// <summary>
/// The state of a <see cref="ServiceRangeAllocator"/> as plain data, for grain storage. The JSON
/// names are the stored format and are never renamed or reused.
/// </summary>
/// <param name="Range">The service CIDR as text ("10.96.0.0/12").</param>
/// <param name="Allocations">Every allocated address with its holder, in address order.</param>
public sealed record ServiceRangeSnapshot(
    [property: JsonPropertyName("range")] string Range,
    [property: JsonPropertyName("allocs")] IReadOnlyList<ServiceRangeSnapshotEntry> Allocations);
