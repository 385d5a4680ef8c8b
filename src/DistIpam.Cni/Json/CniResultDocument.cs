namespace DistIpam.Cni.Json;

/// <summary>An IPAM result (no interfaces: the main plugin owns those).</summary>
internal sealed class CniResultDocument
{
    /// <summary>The version the result is shaped for.</summary>
    public required string CniVersion { get; init; }

    /// <summary>The addresses.</summary>
    public required List<IpConfigEntry> Ips { get; init; }

    /// <summary>Routes, if any.</summary>
    public List<RouteEntry>? Routes { get; init; }

    /// <summary>DNS, if configured.</summary>
    public DnsEntry? Dns { get; init; }
}
