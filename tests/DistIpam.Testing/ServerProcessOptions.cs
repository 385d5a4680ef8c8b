namespace DistIpam.Testing;

/// <summary>How to run a <see cref="ServerProcess"/>.</summary>
public sealed class ServerProcessOptions
{
    /// <summary>A short name for the log file (e.g. the test class). Default "server".</summary>
    public string Name { get; init; } = "server";

    /// <summary>
    /// The data directory. Default null: a new temporary directory that is deleted on dispose. A given
    /// directory (e.g. another server's, to test the lock) is used as is and never deleted.
    /// </summary>
    public string? DataDir { get; init; }

    /// <summary>More command-line arguments, e.g. <c>--DistIpam:Pools:0:Cidr=10.245.0.0/16</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment variables for the child.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long start-up may take until /readyz answers 200. Default 90 s (a loaded 2-core CI machine).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long a SIGTERM may take before <see cref="ServerProcess.StopAsync"/> kills. Default 30 s.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where log files go. Default <c>&lt;test binaries&gt;/server-logs</c> (kept after the run).</summary>
    public string? LogDirectory { get; init; }
}
