using System.CommandLine;

namespace DistIpam.Ctl.Hosting;

/// <summary>Options every command takes.</summary>
public sealed class GlobalOptions
{
    /// <summary>Server endpoints, in order of preference.</summary>
    public Option<string[]> Endpoint { get; } = new("--endpoint", "-e")
    {
        Description = $"Server endpoint(s), tried in order: unix:///path, host:port, https://host:port (repeat or comma-separate). Default ${DefaultEndpoint.Variable}, else ./data/distipam.sock, else {DefaultEndpoint.Tcp}.",
        AllowMultipleArgumentsPerToken = false,
        Recursive = true,
    };

    /// <summary>Output format.</summary>
    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: table, json or yaml (json and yaml are stable for scripts). 'check' also takes a file name for its JSON report.",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    /// <summary>Whole-call timeout.</summary>
    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds a call may take, failover and retries included (default 30).",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    /// <summary>CA file.</summary>
    public Option<string?> CaFile { get; } = new("--ca-file") { Description = "PEM CA that signs the servers' certificates (https endpoints).", Recursive = true };

    /// <summary>Client certificate.</summary>
    public Option<string?> CertFile { get; } = new("--cert-file") { Description = "PEM client certificate for mutual TLS.", Recursive = true };

    /// <summary>Client key.</summary>
    public Option<string?> KeyFile { get; } = new("--key-file") { Description = "PEM private key of --cert-file.", Recursive = true };

    /// <summary>Token file.</summary>
    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "File holding a bearer token sent with every call (default $DISTIPAM_TOKEN_FILE).", Recursive = true };

    /// <summary>Every option, to add to the root command.</summary>
    public IEnumerable<Option> All => [Endpoint, Output, Timeout, CaFile, CertFile, KeyFile, TokenFile];
}
