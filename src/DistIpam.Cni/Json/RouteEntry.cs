namespace DistIpam.Cni.Json;

/// <summary>A route, in configuration and in results. The fields after <see cref="Gw"/> exist from CNI 1.1.0 on.</summary>
internal sealed class RouteEntry
{
    /// <summary>Destination CIDR.</summary>
    public string? Dst { get; init; }

    /// <summary>Next hop; absent means the gateway of the matching address.</summary>
    public string? Gw { get; init; }

    /// <summary>Route MTU (1.1.0).</summary>
    public int? Mtu { get; init; }

    /// <summary>Advertised MSS (1.1.0).</summary>
    public int? Advmss { get; init; }

    /// <summary>Route priority (1.1.0).</summary>
    public int? Priority { get; init; }

    /// <summary>Routing table (1.1.0).</summary>
    public int? Table { get; init; }

    /// <summary>Route scope (1.1.0).</summary>
    public int? Scope { get; init; }
}
