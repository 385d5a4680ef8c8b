using System.Text.Json.Serialization;

namespace DistIpam.Ctl.Output;

/// <summary>Source-generated serialization of the few plain values the YAML writer quotes.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class YamlJsonContext : JsonSerializerContext;
