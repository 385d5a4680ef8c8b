using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace DistIpam.Testing;

/// <summary>
/// A real redis-server on a free loopback port with append-only persistence and
/// <c>appendfsync always</c>, in its own directory. Fails loudly if Redis is not installed.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisProcess(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts Redis and waits until it accepts connections.</summary>
    public static async Task<RedisProcess> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "distipam-redis-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var redis = new RedisProcess(FreePort.Next(), directory);
        await redis.LaunchAsync();
        return redis;
    }

    /// <summary>Stops Redis the way an operator would (SIGTERM: it flushes the AOF) and starts it again on the same files.</summary>
    public async Task RestartAsync()
    {
        Resume();
        if (_process is { HasExited: false } process)
        {
            // SIGTERM: Redis flushes the append-only file and exits.
            NativeMethods.Signal(process.Id, NativeMethods.SigTerm, "redis-server");
            await process.WaitForExitAsync();
        }

        await LaunchAsync();
    }

    /// <summary>The pid of the running redis-server, or 0 when it is not running.</summary>
    public int ProcessId => _process is { HasExited: false } process ? process.Id : 0;

    /// <summary>Whether <see cref="Pause"/> froze Redis and <see cref="Resume"/> has not thawed it yet.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Freezes redis-server with SIGSTOP (by the pid this object started): connections stay open, nothing answers.</summary>
    public void Pause()
    {
        var process = _process is { HasExited: false } running ? running : throw new InvalidOperationException("redis-server is not running; nothing to pause");
        NativeMethods.Signal(process.Id, NativeMethods.SigStop, "redis-server");
        IsPaused = true;
    }

    /// <summary>Thaws redis-server frozen by <see cref="Pause"/> (SIGCONT). Does nothing when it is not paused.</summary>
    public void Resume()
    {
        if (IsPaused && _process is { HasExited: false } process)
        {
            NativeMethods.Signal(process.Id, NativeMethods.SigCont, "redis-server");
        }

        IsPaused = false;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task LaunchAsync()
    {
        const string server = "/usr/bin/redis-server";
        if (!File.Exists(server))
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server); tests/run.sh installs it");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo(server)
        {
            ArgumentList =
            {
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", Path.Combine(_directory, "redis.log"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        await Poll.UntilAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {ReadLog()}");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", Port);
                    return null;
                }
                catch (SocketException e)
                {
                    return e.Message;
                }
            },
            TimeSpan.FromSeconds(20),
            $"redis-server accepting connections on port {Port}");
    }

    private string ReadLog()
    {
        var log = Path.Combine(_directory, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }
}
