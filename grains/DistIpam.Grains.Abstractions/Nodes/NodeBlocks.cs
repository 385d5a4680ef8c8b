namespace DistIpam.Grains.Nodes;

/// <summary>
/// The blocks a node uses in one pool: its own (affine) and those it borrowed addresses from.
/// Stored in the node's state; ids are never reused or renumbered.
/// </summary>
[GenerateSerializer]
public sealed class NodeBlocks
{
    /// <summary>The pool name.</summary>
    [Id(0)] public string Pool { get; set; } = "";

    /// <summary>Blocks claimed by the node, in claim order.</summary>
    [Id(1)] public List<string> Owned { get; set; } = [];

    /// <summary>Other nodes' blocks the node has borrowed an address from.</summary>
    [Id(2)] public List<string> Borrowed { get; set; } = [];
}
