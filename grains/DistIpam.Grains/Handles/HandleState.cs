namespace DistIpam.Grains.Handles;

/// <summary>The stored state of a handle grain. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class HandleState
{
    /// <summary>What the handle holds; null = nothing.</summary>
    [Id(0)] public HandleRecord? Record { get; set; }
}
