namespace DistIpam.Agent;

/// <summary>
/// The agent's settings, section <c>Agent</c> (command line <c>--Agent:SocketPath=/run/...</c>,
/// environment <c>DISTIPAM_Agent__SocketPath</c>, or appsettings.json). docs/agent.md lists them.
/// </summary>
public sealed class AgentOptions
{
    /// <summary>The Unix socket the plugin connects to (mode 0660). Default /run/distipam/agent.sock.</summary>
    public string SocketPath { get; set; } = "/run/distipam/agent.sock";

    /// <summary>Server endpoints in order of preference (unix:///, http://, https://). At least one.</summary>
    public IList<string> Endpoints { get; init; } = [];

    /// <summary>This node's name as the plugin sends it. Default: the host name.</summary>
    public string? NodeName { get; set; }

    /// <summary>Pools of the warm reserve (one per family); empty: the server's default pod pools.</summary>
    public IList<string> Pools { get; init; } = [];

    /// <summary>Addresses per family kept reserved for this node (0 disables the reserve). Default 8.</summary>
    public int ReserveSize { get; set; } = 8;

    /// <summary>The journal file (append-only, fsynced). Default /var/lib/distipam-agent/journal.</summary>
    public string JournalPath { get; set; } = "/var/lib/distipam-agent/journal";

    /// <summary>CA of the servers' certificates (https endpoints).</summary>
    public string? CaFile { get; set; }

    /// <summary>Client certificate for mutual TLS.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>Key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Bearer token file (re-read when it changes).</summary>
    public string? TokenFile { get; set; }

    /// <summary>Deadline of one forwarded call, all failover attempts included. Default 10 s.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the node's lease is renewed (Nodes.Heartbeat). Default 10 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections served at once; more are closed at once. Default 64.</summary>
    public int MaxClients { get; set; } = 64;

    /// <summary>Port of the Prometheus endpoint (<c>http://MetricsAddress:port/metrics</c>); 0, the default, serves none.</summary>
    public int MetricsPort { get; set; }

    /// <summary>Address the metrics endpoint listens on. Default 127.0.0.1 (loopback only).</summary>
    public string MetricsAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a connection may take to send a whole frame (or sit idle). Default 5 s.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
