using System.Text.Json.Serialization;

namespace DistIpam.Core.Allocation;

/// <summary>One allocated NodePort in a <see cref="PortRangeSnapshot"/>.</summary>
/// <param name="Port">The port (JSON "p").</param>
/// <param name="Holder">Who holds it, e.g. the service "namespace/name" (JSON "h").</param>
public sealed record PortRangeSnapshotEntry(
    [property: JsonPropertyName("p")] int Port,
    [property: JsonPropertyName("h")] string Holder);
