namespace DistIpam.Server.Hosting;

/// <summary>A pool to create at start-up (configuration <c>DistIpam:Pools:n</c>).</summary>
public sealed class BootstrapPool
{
    /// <summary>Pool name.</summary>
    public string Name { get; set; } = "";

    /// <summary>CIDR.</summary>
    public string Cidr { get; set; } = "";

    /// <summary>Block prefix length; 0 = family default (/26, /122).</summary>
    public int BlockPrefixLength { get; set; }

    /// <summary>"Pod" (default) or "Service".</summary>
    public string Kind { get; set; } = "Pod";

    /// <summary>"Bridged" (default) or "Routed".</summary>
    public string Wiring { get; set; } = "Bridged";

    /// <summary>Reserved ranges.</summary>
    public List<string> ReservedRanges { get; set; } = [];

    /// <summary>No borrowing.</summary>
    public bool StrictAffinity { get; set; }

    /// <summary>0 = unlimited.</summary>
    public int MaxBlocksPerNode { get; set; }
}
