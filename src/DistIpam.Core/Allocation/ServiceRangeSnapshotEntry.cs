using System.Text.Json.Serialization;

namespace DistIpam.Core.Allocation;

/// <summary>One allocated ClusterIP in a <see cref="ServiceRangeSnapshot"/>.</summary>
/// <param name="Offset">The address's offset from the range's network address (JSON "o").</param>
/// <param name="Holder">Who holds it, e.g. the service "namespace/name" (JSON "h").</param>
public sealed record ServiceRangeSnapshotEntry(
    [property: JsonPropertyName("o")] int Offset,
    [property: JsonPropertyName("h")] string Holder);
