namespace DistIpam.Grains.Services;

/// <summary>The stored state of a ClusterIP range grain. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class ClusterIpRangeState
{
    /// <summary>The pool CIDR the allocations belong to; null before the first allocation.</summary>
    [Id(0)] public string? Range { get; set; }

    /// <summary>Offsets of allocated addresses from the network address.</summary>
    [Id(1)] public List<int> Offsets { get; set; } = [];

    /// <summary>The holder of each offset, same order.</summary>
    [Id(2)] public List<string> Holders { get; set; } = [];
}
