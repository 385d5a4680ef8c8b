using System.Text.Json.Serialization;

namespace DistIpam.Core.Allocation;

/// <summary>
/// An address released less than the cooldown ago, in a <see cref="BlockSnapshot"/>. The JSON
/// names are the stored format and are never renamed or reused.
/// </summary>
/// <param name="Offset">The address's offset from the block's network address (JSON "o").</param>
/// <param name="ReleasedAtUnixMs">When it was released, Unix milliseconds (JSON "t").</param>
public sealed record CooldownEntry(
    [property: JsonPropertyName("o")] int Offset,
    [property: JsonPropertyName("t")] long ReleasedAtUnixMs);
