namespace DistIpam.Grains.Persistence;

/// <summary>Names of the grain storage providers the grains use; the host registers them.</summary>
public static class StorageNames
{
    /// <summary>All IPAM state (pools, blocks, nodes, handles).</summary>
    public const string Ipam = "ipam";
}
