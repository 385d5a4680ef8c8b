using System.Diagnostics;
using System.Globalization;

namespace DistIpam.Testing;

/// <summary>
/// The real distipam-server running as a child process (<c>dotnet distipam-server.dll</c>) on free
/// loopback ports with its own data directory, its output captured to a log file. Start it with
/// <see cref="StartAsync"/> (waits for /readyz) or <see cref="Launch"/> (does not wait, for servers
/// expected to fail); stop it gracefully, kill it, restart it on the same data directory and ports.
/// Disposing kills the process and deletes the data directory it created.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private const int MaxBindAttempts = 3;
    private readonly ServerProcessOptions _options;
    private readonly bool _ownsDataDir;
    private readonly ProcessLog _log;
    private readonly HttpClient _probe;
    private Process? _process;
    private int _runs;
    private bool _disposed;

    private ServerProcess(ServerProcessOptions options, IReadOnlyList<int> ports)
    {
        _options = options;
        _ownsDataDir = options.DataDir is null;
        DataDir = Path.GetFullPath(options.DataDir ?? CreateTempDirectory());
        GrpcPort = ports[0];
        HttpPort = ports[1];
        SiloPort = ports[2];
        GatewayPort = ports[3];
        var logDirectory = options.LogDirectory ?? Path.Combine(AppContext.BaseDirectory, "server-logs");
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        _log = new ProcessLog(Path.Combine(logDirectory, $"{options.Name}-{stamp}-{GrpcPort}.log"));
        _probe = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>The data directory (SQLite store, lock file, Unix socket).</summary>
    public string DataDir { get; }

    /// <summary>The gRPC (h2c) port on 127.0.0.1.</summary>
    public int GrpcPort { get; }

    /// <summary>The HTTP port (/healthz, /readyz, /metrics) on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The Orleans silo port.</summary>
    public int SiloPort { get; }

    /// <summary>The Orleans gateway port.</summary>
    public int GatewayPort { get; }

    /// <summary>The gRPC address, http://127.0.0.1:port.</summary>
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The HTTP address, http://127.0.0.1:port.</summary>
    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The gRPC Unix socket, &lt;DataDir&gt;/distipam.sock.</summary>
    public string UnixSocketPath => Path.Combine(DataDir, "distipam.sock");

    /// <summary>The log file (all runs, appended).</summary>
    public string LogPath => _log.Path;

    /// <summary>The current (or last) process id, or 0 before the first launch.</summary>
    public int ProcessId { get; private set; }

    /// <summary>Whether the current process has exited (true before the first launch).</summary>
    public bool HasExited => _disposed || _process is null || _process.HasExited;

    /// <summary>The exit code of the last process, once it has exited (null after dispose).</summary>
    public int? ExitCode => !_disposed && _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>How long the last start took until /readyz answered 200.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>
    /// Starts a server and waits until /readyz answers 200. Retries with other ports if one was
    /// taken in the meantime. Throws <see cref="ServerStartException"/> with the log tail otherwise.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(ServerProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(options);
            try
            {
                await server.WaitUntilReadyAsync(cancellationToken);
                return server;
            }
            catch (ServerStartException e) when (attempt < MaxBindAttempts && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts a server without waiting for it (for servers expected to exit).</summary>
    public static ServerProcess Launch(ServerProcessOptions? options = null)
    {
        var server = new ServerProcess(options ?? new ServerProcessOptions(), FreePort.Next(4));
        server.LaunchProcess([]);
        return server;
    }

    /// <summary>The last lines of the current run's output.</summary>
    public string LogTail(int lines = 60) => _log.Tail(lines);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeClients();
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _probe.Dispose();
        _log.Dispose();
        if (_ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static string CreateTempDirectory()
    {
        // Short: the Unix socket path inside it must stay under the 108-byte sun_path limit.
        var path = Path.Combine(Path.GetTempPath(), "distipam-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
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

    private void LaunchProcess(IReadOnlyList<string> runArguments)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = DataDir,
        };
        start.ArgumentList.Add(RepositoryLayout.ServerDll);
        start.ArgumentList.Add($"--DistIpam:DataDir={DataDir}");
        start.ArgumentList.Add($"--DistIpam:GrpcListen=127.0.0.1:{GrpcPort.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"--DistIpam:HttpListen=127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"--DistIpam:SiloPort={SiloPort.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"--DistIpam:GatewayPort={GatewayPort.ToString(CultureInfo.InvariantCulture)}");
        // Orleans' placement pipeline logs every activation at Information: noise in a test log.
        start.ArgumentList.Add("--Logging:LogLevel:Polly=Warning");
        foreach (var argument in _options.Arguments.Concat(runArguments))
        {
            start.ArgumentList.Add(argument);
        }

        // The child must see only this server's settings, never a developer's DistIpam__* variables.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DistIpam__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in _options.Environment)
        {
            start.Environment[name] = value;
        }

        _runs++;
        _log.BeginRun($"run {_runs.ToString(CultureInfo.InvariantCulture)}: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => _log.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => _log.Append("err", e.Data);
        _process?.Dispose();
        _process = process;
        process.Start();
        ProcessId = process.Id;
        IsPaused = false;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }
}
