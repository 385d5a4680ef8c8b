using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using DistIpam.Testing;

namespace DistIpam.Agent.Tests.Fixtures;

/// <summary>
/// A real distipam-agent process (the referenced project's output, run with this test host's dotnet):
/// its own socket and journal in a temporary folder; stdout and stderr kept for failure messages.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<string> _arguments;
    private readonly ProcessLog _log;
    private Process? _process;

    private AgentProcess(string directory, List<string> arguments)
    {
        Directory = directory;
        _arguments = arguments;
        _log = new ProcessLog(Path.Combine(directory, "agent.log"));
    }

    /// <summary>The agent's folder (socket, journal, log).</summary>
    public string Directory { get; }

    /// <summary>The socket path the plugin's ipam.agent names.</summary>
    public string SocketPath => Path.Combine(Directory, "agent.sock");

    /// <summary>The journal file.</summary>
    public string JournalPath => Path.Combine(Directory, "journal");

    /// <summary>The process id (for /proc and signals).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the agent is not running");

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Starts an agent for <paramref name="node"/> in front of <paramref name="endpoints"/> and waits until its socket accepts.</summary>
    /// <param name="endpoints">The server endpoints.</param>
    /// <param name="node">The node name.</param>
    /// <param name="settings">More <c>Agent:</c> settings, e.g. ("ReserveSize", "0").</param>
    public static async Task<AgentProcess> StartAsync(IReadOnlyList<string> endpoints, string node, params (string Name, string Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var directory = System.IO.Directory.CreateTempSubdirectory("distipam-agent-").FullName;
        var arguments = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, "distipam-agent.dll"),
            $"--Agent:SocketPath={Path.Combine(directory, "agent.sock")}",
            $"--Agent:JournalPath={Path.Combine(directory, "journal")}",
            $"--Agent:NodeName={node}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:DistIpam=Information",
        };
        for (var i = 0; i < endpoints.Count; i++)
        {
            arguments.Add($"--Agent:Endpoints:{i.ToString(CultureInfo.InvariantCulture)}={endpoints[i]}");
        }

        arguments.AddRange(settings.Select(s => $"--Agent:{s.Name}={s.Value}"));
        var agent = new AgentProcess(directory, arguments);
        await agent.StartAsync();
        return agent;
    }

    /// <summary>Starts the process again with the same settings (after <see cref="Kill"/>).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _log.BeginRun($"distipam-agent {string.Join(' ', _arguments)}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("the agent did not start");
        process.OutputDataReceived += (_, e) => _log.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => _log.Append("err", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await Poll.UntilAsync(
            () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the agent exited with {process.ExitCode}:\n{_log.Tail()}");
                }

                return Task.FromResult(CanConnect() ? null : $"no listener on {SocketPath}");
            },
            StartTimeout,
            "the agent's socket to accept connections");
    }

    /// <summary>kill -9: no chance to flush or clean up.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Open descriptors of the process now.</summary>
    public int OpenDescriptors() => System.IO.Directory.GetFiles($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/fd").Length;

    /// <summary>The last lines the agent printed.</summary>
    public string LogTail(int lines = 60) => _log.Tail(lines);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _log.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private bool CanConnect()
    {
        using var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
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

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
