using System.Diagnostics;

namespace DistIpam.Bench.Cni;

/// <summary>
/// Runs a CNI plugin as a container runtime does: fork/exec with CNI_* variables, the network
/// configuration on stdin, the result read from stdout. The measured time covers start to exit.
/// </summary>
public static class PluginExec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="plugin"/> with verb <paramref name="command"/> for one container.</summary>
    /// <param name="plugin">The executable.</param>
    /// <param name="command">CNI_COMMAND.</param>
    /// <param name="containerId">CNI_CONTAINERID.</param>
    /// <param name="configJson">The network configuration (stdin).</param>
    /// <param name="environment">More variables (e.g. the plugin's stage clock), or null.</param>
    public static async Task<ExecOutcome> RunAsync(string plugin, string command, string containerId, string configJson, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(plugin)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CNI_", StringComparison.Ordinal) || k.StartsWith("DISTIPAM_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["CNI_COMMAND"] = command;
        start.Environment["CNI_CONTAINERID"] = containerId;
        start.Environment["CNI_NETNS"] = "/var/run/netns/bench";
        start.Environment["CNI_IFNAME"] = "eth0";
        start.Environment["CNI_PATH"] = Path.GetDirectoryName(plugin);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {plugin}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(configJson);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited without reading stdin (e.g. /bin/true as a baseline): not a failure.
            }
            await process.WaitForExitAsync(deadline.Token);
            var ended = Stopwatch.GetTimestamp();
            var output = await stdout;
            var errors = await stderr;
            return new ExecOutcome(process.ExitCode, output, errors, clock.Elapsed, started, ended);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{plugin} {command} {containerId} did not exit within {Timeout.TotalSeconds:0} s");
        }
    }
}
