namespace DistIpam.Grains.Services;

/// <summary>The stored state of a NodePort range grain. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class NodePortState
{
    /// <summary>Allocated ports.</summary>
    [Id(0)] public List<int> Ports { get; set; } = [];

    /// <summary>The holder of each port, same order.</summary>
    [Id(1)] public List<string> Holders { get; set; } = [];
}
