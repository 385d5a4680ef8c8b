using System.Diagnostics;

namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>Runs a program as a runtime runs a CNI plugin: fork/exec, an explicit environment, stdin, bounded in time.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/>. Inherited CNI_* and DISTIPAM_NODE_NAME variables are removed first so
    /// that only <paramref name="environment"/> speaks (a null value removes a variable). A process still
    /// running after <paramref name="timeout"/> is killed and the call throws, saying what it printed.
    /// </summary>
    public static Task<ProcessOutcome> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string? stdin,
        TimeSpan timeout) =>
        RunBytesAsync(fileName, arguments, environment, stdin is null ? null : new System.Text.UTF8Encoding(false).GetBytes(stdin), timeout);

    /// <summary>Runs <paramref name="fileName"/> with raw stdin bytes (e.g. invalid UTF-8); otherwise as the overload above.</summary>
    public static async Task<ProcessOutcome> RunBytesAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        byte[]? stdin,
        TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CNI_", StringComparison.Ordinal) || k == "DISTIPAM_NODE_NAME").ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading stdin (e.g. VERSION): not an error of the runner.
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not exit within {timeout.TotalSeconds:0.#} s; stdout: {await stdout}; stderr: {await stderr}");
        }

        var elapsed = clock.Elapsed;
        return new ProcessOutcome(process.ExitCode, await stdout, await stderr, elapsed);
    }
}
