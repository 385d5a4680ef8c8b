namespace DistIpam.Grains.Services;

/// <summary>The stored state of the service index. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class ServiceIndexState
{
    /// <summary>Service keys ("namespace/name").</summary>
    [Id(0)] public HashSet<string> Keys { get; set; } = new(StringComparer.Ordinal);
}
