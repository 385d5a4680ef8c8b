using DistIpam.Client;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Configuration;

/// <summary>The validated configuration of one invocation: everything the verbs need, with defaults applied.</summary>
internal sealed record PluginConfiguration
{
    /// <summary>The deadline when <c>ipam.timeoutSeconds</c> is absent.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The requested (and supported) spec version.</summary>
    public required string CniVersion { get; init; }

    /// <summary>The network name (first part of every handle).</summary>
    public required string NetworkName { get; init; }

    /// <summary>Server endpoints in the order they are tried.</summary>
    public required IReadOnlyList<ClientEndpoint> Endpoints { get; init; }

    /// <summary>Pools to allocate from; empty means the server's default pod pools.</summary>
    public required IReadOnlyList<string> Pools { get; init; }

    /// <summary>Routes from the configuration, added to every result.</summary>
    public required IReadOnlyList<RouteEntry> Routes { get; init; }

    /// <summary>DNS settings for results, or null.</summary>
    public DnsEntry? Dns { get; init; }

    /// <summary>This node's name.</summary>
    public required string NodeName { get; init; }

    /// <summary>The whole-call deadline.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>TLS files and token (secrets: its ToString names files only), or null.</summary>
    public ClientCredentials? Credentials { get; init; }

    /// <summary>The node agent's socket path, or null for direct mode.</summary>
    public string? AgentSocket { get; init; }

    /// <summary>Whether an absent agent means direct calls to <see cref="Endpoints"/> (else code 11).</summary>
    public bool AgentFallback { get; init; } = true;
}
