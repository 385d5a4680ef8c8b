namespace DistIpam.Cni.Json;

/// <summary>The <c>ipam</c> object of the network configuration (docs/cni.md has the reference).</summary>
internal sealed class IpamSection
{
    /// <summary>"distipam".</summary>
    public string? Type { get; init; }

    /// <summary>Server endpoints, tried in order: <c>unix:///path</c>, <c>http://host:port</c>, <c>https://host:port</c>.</summary>
    public List<string>? Endpoints { get; init; }

    /// <summary>Pool names, at most one per family; absent means the server's default pod pools.</summary>
    public List<string>? Pools { get; init; }

    /// <summary>Routes added to every result.</summary>
    public List<RouteEntry>? Routes { get; init; }

    /// <summary>DNS settings copied into every result.</summary>
    public DnsEntry? Dns { get; init; }

    /// <summary>This node's name; else DISTIPAM_NODE_NAME, else the host name.</summary>
    public string? NodeName { get; init; }

    /// <summary>Whole-call deadline in seconds (default 30).</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>TLS files for https:// endpoints.</summary>
    public TlsSection? Tls { get; init; }

    /// <summary>A file whose first line is this node's bearer token.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The node agent's Unix socket path; absent: talk to the endpoints directly (docs/agent.md).</summary>
    public string? Agent { get; init; }

    /// <summary>When the agent's socket is absent: true (default) use the endpoints directly, false fail with code 11.</summary>
    public bool? AgentFallback { get; init; }
}
