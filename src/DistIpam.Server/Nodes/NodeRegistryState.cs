namespace DistIpam.Server.Nodes;

/// <summary>Stored node names. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class NodeRegistryState
{
    [Id(0)] public SortedSet<string> Nodes { get; set; } = new(StringComparer.Ordinal);
}
