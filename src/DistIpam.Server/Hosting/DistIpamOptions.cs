using DistIpam.Server.Security;

namespace DistIpam.Server.Hosting;

/// <summary>Server options (configuration section <c>DistIpam</c>; environment <c>DistIpam__Name</c>).</summary>
public sealed class DistIpamOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DistIpam";

    /// <summary>Where the SQLite store, the lock file and the Unix socket live. Default <c>./data</c>.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>gRPC (h2c) listen address, host:port. Default <c>127.0.0.1:50051</c>. Empty disables.</summary>
    public string GrpcListen { get; set; } = "127.0.0.1:50051";

    /// <summary>gRPC Unix socket path. Default <c>&lt;DataDir&gt;/distipam.sock</c>. "none" disables.</summary>
    public string? UnixSocket { get; set; }

    /// <summary>Mode of the Unix socket, octal. Default <c>0660</c> (owner and group, e.g. the CNI plugin's).</summary>
    public string UnixSocketMode { get; set; } = "0660";

    /// <summary>Owner of the Unix socket (user name or uid). Default: the server's user.</summary>
    public string? UnixSocketOwner { get; set; }

    /// <summary>Group of the Unix socket (group name or gid), e.g. the CNI plugin's. Default: the server's group.</summary>
    public string? UnixSocketGroup { get; set; }

    /// <summary>TLS of the TCP gRPC listener (section <c>DistIpam:Tls</c>). Off by default.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>Mutual TLS between silos and on the gateway, cluster mode (section <c>DistIpam:SiloTls</c>). Off by default.</summary>
    public SiloTlsOptions SiloTls { get; set; } = new();

    /// <summary>Authentication and the role policy (section <c>DistIpam:Auth</c>). Off by default.</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>
    /// Lets the gRPC listener bind a non-loopback address without TLS and authentication. Default
    /// false: such a server refuses to start, since anyone who reaches the port could free every address.
    /// </summary>
    public bool AllowInsecure { get; set; }

    /// <summary>The largest gRPC request message accepted, in bytes. Default 4 MiB (a large consistency report fits).</summary>
    public int MaxRequestBytes { get; set; } = 4 << 20;

    /// <summary>The largest total of request headers accepted, in bytes. Default 16 KiB.</summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>HTTP listen address for /healthz, /readyz and /metrics. Default <c>127.0.0.1:8080</c>. Empty disables.</summary>
    public string HttpListen { get; set; } = "127.0.0.1:8080";

    /// <summary>Pools used when an Allocate names none (one per family). Default pods-v4, pods-v6.</summary>
    public List<string> DefaultPodPools { get; set; } = [];

    /// <summary>Pools created at start if absent (idempotent); a conflict with stored state stops the server.</summary>
    public List<BootstrapPool> Pools { get; set; } = [];

    /// <summary>
    /// A StackExchange.Redis connection string. Set: cluster mode (Redis membership and Redis grain
    /// state, any number of silos). Empty (default): the embedded single silo on SQLite.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The address other silos reach this one on, in cluster mode. Default <c>127.0.0.1</c>.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Orleans cluster id. Default <c>distipam</c>.</summary>
    public string ClusterId { get; set; } = "distipam";

    /// <summary>Orleans service id (must stay the same across restarts: it keys stored state). Default <c>distipam</c>.</summary>
    public string ServiceId { get; set; } = "distipam";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>True when <see cref="Redis"/> selects cluster mode.</summary>
    public bool IsClusterMode => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>The Unix socket path after defaults.</summary>
    public string? ResolvedUnixSocket => UnixSocket switch
    {
        null or "" => Path.GetFullPath(Path.Combine(DataDir, "distipam.sock")),
        "none" => null,
        var path => Path.GetFullPath(path),
    };
}
