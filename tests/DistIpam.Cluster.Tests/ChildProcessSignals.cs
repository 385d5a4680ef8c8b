using System.Diagnostics;
using System.Globalization;
using DistIpam.Testing;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// Signals for processes this test process started (found among its own children, by pid),
/// through kill(1): SIGSTOP freezes a dependency without closing its sockets, SIGTERM stops it.
/// </summary>
public static class ChildProcessSignals
{
    /// <summary>Freezes <paramref name="pid"/>.</summary>
    public static Task PauseAsync(int pid) => SendAsync("STOP", pid);

    /// <summary>Lets <paramref name="pid"/> run again.</summary>
    public static Task ResumeAsync(int pid) => SendAsync("CONT", pid);

    /// <summary>SIGTERM, then waits until <paramref name="pid"/> is gone (the parent reaps it).</summary>
    public static async Task StopAsync(int pid, TimeSpan timeout)
    {
        await SendAsync("TERM", pid);
        await Poll.UntilAsync(
            () => Task.FromResult(Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}") ? "still running" : null),
            timeout,
            $"pid {pid.ToString(CultureInfo.InvariantCulture)} to exit after SIGTERM");
    }

    /// <summary>
    /// The pid of the redis-server this process started on <paramref name="port"/>: a child of this
    /// process whose command line names the port (redis-server rewrites its title to <c>host:port</c>).
    /// </summary>
    public static int RedisServerPid(int port)
    {
        var self = Environment.ProcessId;
        var portText = port.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));

                // Fields after the parenthesized command name: state, ppid, ...
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var command = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (fields[1] == self.ToString(CultureInfo.InvariantCulture)
                    && command.Contains("redis-server", StringComparison.Ordinal)
                    && (command.Contains(":" + portText, StringComparison.Ordinal) || command.Contains(" " + portText + " ", StringComparison.Ordinal)))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
        }

        throw new InvalidOperationException($"no redis-server child of pid {self} on port {portText}");
    }

    private static async Task SendAsync(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not run kill(1)");
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid.ToString(CultureInfo.InvariantCulture)} failed ({kill.ExitCode.ToString(CultureInfo.InvariantCulture)}): {error}");
        }
    }
}
