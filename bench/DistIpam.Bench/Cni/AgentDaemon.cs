using System.Diagnostics;
using System.Net.Sockets;
using DistIpam.Testing;

namespace DistIpam.Bench.Cni;

/// <summary>
/// A distipam-agent child process (this build's distipam-agent.dll) in front of the embedded server:
/// its own socket and journal in a temporary folder, logging at Warning.
/// </summary>
public sealed class AgentDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private AgentDaemon(Process process, string directory, int metricsPort)
    {
        _process = process;
        Directory = directory;
        MetricsUrl = new Uri($"http://127.0.0.1:{metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/metrics");
    }

    /// <summary>The agent's Prometheus endpoint (docs/agent.md, Metrics).</summary>
    public Uri MetricsUrl { get; }

    /// <summary>The process id (the server-away case stops nothing of the agent, but reports it).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The agent's folder.</summary>
    public string Directory { get; }

    /// <summary>The socket path for ipam.agent.</summary>
    public string SocketPath => Path.Combine(Directory, "agent.sock");

    /// <summary>Starts an agent for <paramref name="node"/> with a reserve of <paramref name="reserve"/> on <paramref name="pools"/>.</summary>
    /// <param name="serverSocket">The server's Unix socket.</param>
    /// <param name="node">The node name.</param>
    /// <param name="reserve">Addresses per family.</param>
    /// <param name="pools">The reserve's pools (empty: the server's defaults).</param>
    /// <param name="settings">More <c>Agent:</c> settings, e.g. ("ServerTimeout", "00:00:02").</param>
    public static async Task<AgentDaemon> StartAsync(string serverSocket, string node, int reserve, IReadOnlyList<string> pools, params (string Name, string Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pools);
        var directory = System.IO.Directory.CreateTempSubdirectory("distipam-bench-agent-").FullName;
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "distipam-agent.dll"));
        start.ArgumentList.Add($"--Agent:SocketPath={Path.Combine(directory, "agent.sock")}");
        start.ArgumentList.Add($"--Agent:JournalPath={Path.Combine(directory, "journal")}");
        start.ArgumentList.Add($"--Agent:NodeName={node}");
        start.ArgumentList.Add($"--Agent:Endpoints:0=unix://{serverSocket}");
        start.ArgumentList.Add($"--Agent:ReserveSize={reserve}");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        var metricsPort = FreePort.Next();
        start.ArgumentList.Add($"--Agent:MetricsPort={metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        for (var i = 0; i < pools.Count; i++)
        {
            start.ArgumentList.Add($"--Agent:Pools:{i}={pools[i]}");
        }

        foreach (var (name, value) in settings)
        {
            start.ArgumentList.Add($"--Agent:{name}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("distipam-agent did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"agent: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var agent = new AgentDaemon(process, directory, metricsPort);
        await Poll.UntilAsync(
            () => Task.FromResult(process.HasExited ? throw new InvalidOperationException($"distipam-agent exited with {process.ExitCode}") : agent.Accepts() ? null : "no listener"),
            StartTimeout,
            $"the agent's socket {agent.SocketPath} to accept");
        return agent;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private bool Accepts()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
