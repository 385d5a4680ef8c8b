using System.Diagnostics;
using System.Globalization;
using DistIpam.Testing;

namespace DistIpam.Cluster.Tests;

/// <summary>Stopping a process this test started, by its pid, through kill(1), as an operator would.</summary>
public static class ChildProcessSignals
{
    /// <summary>SIGTERM, then waits until <paramref name="pid"/> is gone (its parent, this process, reaps it).</summary>
    public static async Task StopAsync(int pid, TimeSpan timeout)
    {
        if (pid <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "not a running process");
        }

        var text = pid.ToString(CultureInfo.InvariantCulture);
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", text]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not run kill(1)"))
        {
            var error = await kill.StandardError.ReadToEndAsync();
            await kill.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -TERM {text} failed ({kill.ExitCode.ToString(CultureInfo.InvariantCulture)}): {error}");
            }
        }

        await Poll.UntilAsync(
            () => Task.FromResult(Directory.Exists($"/proc/{text}") ? "still running" : null),
            timeout,
            $"pid {text} to exit after SIGTERM");
    }
}
