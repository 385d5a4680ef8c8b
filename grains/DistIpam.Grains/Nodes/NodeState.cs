namespace DistIpam.Grains.Nodes;

/// <summary>The stored state of a node grain. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class NodeState
{
    /// <summary>Blocks per pool.</summary>
    [Id(0)] public List<NodeBlocks> Pools { get; set; } = [];
}
