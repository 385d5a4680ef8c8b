namespace DistIpam.Cni.Json;

/// <summary>One address of a result (<c>ips[]</c>), read from prevResult and written in results.</summary>
internal sealed class IpConfigEntry
{
    /// <summary>"4" or "6": present in 0.3.x and 0.4.0 results only.</summary>
    public string? Version { get; init; }

    /// <summary>Index into the result's interfaces; an IPAM plugin never sets it.</summary>
    public int? Interface { get; init; }

    /// <summary>Address with prefix length.</summary>
    public string? Address { get; init; }

    /// <summary>Gateway, if any.</summary>
    public string? Gateway { get; init; }
}
