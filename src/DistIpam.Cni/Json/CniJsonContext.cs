using System.Text.Json.Serialization;

namespace DistIpam.Cni.Json;

/// <summary>Source-generated (reflection-free, AOT-safe) serialization for every JSON type of the plugin.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // Go's encoding/json (which every other plugin and runtime uses) matches names case-insensitively.
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(NetworkConfigDocument))]
[JsonSerializable(typeof(CniResultDocument))]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(VersionDocument))]
internal sealed partial class CniJsonContext : JsonSerializerContext
{
}
