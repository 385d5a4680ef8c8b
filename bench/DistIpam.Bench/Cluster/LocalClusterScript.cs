using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DistIpam.Testing;

namespace DistIpam.Bench.Cluster;

/// <summary>
/// A 3-silo cluster on Redis run by <c>deploy/local/cluster.sh</c> in a temporary folder, on a port
/// base whose ports are all free. Disposing runs <c>cluster.sh clean</c>.
/// </summary>
public sealed class LocalClusterScript : IAsyncDisposable
{
    private const int MaxBaseAttempts = 50;
    private static readonly int[] BasePorts = [51051, 9080, 12111, 31000];
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(6);
    private readonly string _script = Path.Combine(RepositoryLayout.Root, "deploy", "local", "cluster.sh");

    private LocalClusterScript(string directory, int portBase, int silos)
    {
        Directory = directory;
        PortBase = portBase;
        Silos = silos;
    }

    /// <summary>The cluster folder (DISTIPAM_CLUSTER_DIR).</summary>
    public string Directory { get; }

    /// <summary>DISTIPAM_PORT_BASE.</summary>
    public int PortBase { get; }

    /// <summary>How many silos were started.</summary>
    public int Silos { get; }

    /// <summary>The gRPC address of silo <paramref name="index"/>.</summary>
    public Uri GrpcAddress(int index) => new($"http://127.0.0.1:{(51051 + PortBase + index).ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Starts Redis and <paramref name="silos"/> silos and waits until they are ready.</summary>
    public static async Task<LocalClusterScript> StartAsync(BenchContext context, int silos)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directory = System.IO.Directory.CreateTempSubdirectory("distipam-bench-cluster-").FullName;
        var cluster = new LocalClusterScript(directory, FreePortBase(silos), silos);
        context.Progress($"cluster.sh start {silos} (port base {cluster.PortBase}, folder {directory})");
        try
        {
            await cluster.RunAsync("start", silos.ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>kill -9 of silo <paramref name="index"/> (cluster.sh kill).</summary>
    public Task KillAsync(int index) => RunAsync("kill", index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The output of cluster.sh status.</summary>
    public Task<string> StatusAsync() => RunAsync("status");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("clean");
        }
        catch (InvalidOperationException)
        {
            // Best effort: the folder is a temporary one.
        }
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DISTIPAM_CLUSTER_DIR"] = Directory;
        start.Environment["DISTIPAM_PORT_BASE"] = PortBase.ToString(CultureInfo.InvariantCulture);
        start.Environment["DISTIPAM_CONFIGURATION"] = RepositoryLayout.Configuration;
        start.Environment["DISTIPAM_READY_TIMEOUT"] = "180";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', arguments)} did not finish within {ScriptTimeout.TotalMinutes:0} min");
        }

        var output = await stdout + await stderr;
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"cluster.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {output}");
    }

    private static int FreePortBase(int silos)
    {
        for (var attempt = 0; attempt < MaxBaseAttempts; attempt++)
        {
#pragma warning disable CA5394 // Not security relevant: a random port offset.
            var candidate = Random.Shared.Next(100, 1400) * 10;
#pragma warning restore CA5394
            var ports = Enumerable.Range(0, silos).SelectMany(i => BasePorts.Select(p => p + candidate + i)).Append(16379 + candidate);
            if (ports.All(IsFree))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"no free port base for cluster.sh in {MaxBaseAttempts} attempts");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
