using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace DistIpam.Testing;

/// <summary>Waiting for readiness, stopping, killing and restarting.</summary>
public sealed partial class ServerProcess
{
    /// <summary>
    /// Polls /readyz until it answers 200. Throws <see cref="ServerStartException"/> with the log
    /// tail when the process exits first or <see cref="ServerProcessOptions.StartTimeout"/> passes
    /// (the process is killed then).
    /// </summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        var process = _process ?? throw new InvalidOperationException("the server was never launched");
        var clock = Stopwatch.StartNew();
        var seen = "no answer yet";
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                throw new ServerStartException(
                    $"the server exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)} after {clock.Elapsed.TotalSeconds:0.0} s "
                    + $"before /readyz answered 200 (last seen: {seen}); log {LogPath}:\n{LogTail()}");
            }

            seen = await ProbeReadyAsync(cancellationToken);
            if (seen.Length == 0)
            {
                LastStartDuration = clock.Elapsed;
                return;
            }

            if (clock.Elapsed >= _options.StartTimeout)
            {
                Kill();
                throw new ServerStartException(
                    $"expected /readyz to answer 200 within {_options.StartTimeout.TotalSeconds:0} s, but saw: {seen}; "
                    + $"the server was killed; log {LogPath}:\n{LogTail()}");
            }

            await Task.Delay(Poll.Interval, cancellationToken);
        }
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code; throws with the log tail on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("the server was never launched");
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"expected the server (pid {process.Id.ToString(CultureInfo.InvariantCulture)}) to exit within {timeout.TotalSeconds:0} s, but it is still running; log tail:\n{LogTail()}");
        }

        return process.ExitCode;
    }

    /// <summary>
    /// Sends SIGTERM and waits for a graceful exit; returns the exit code. If the server does not
    /// exit within <see cref="ServerProcessOptions.StopTimeout"/> it is killed and this throws.
    /// </summary>
    public async Task<int> StopAsync()
    {
        var process = _process;
        if (process is null)
        {
            throw new InvalidOperationException("the server was never launched");
        }

        if (!process.HasExited && NativeMethods.Kill(process.Id, NativeMethods.SigTerm) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"kill(SIGTERM) of pid {process.Id.ToString(CultureInfo.InvariantCulture)} failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError().ToString(CultureInfo.InvariantCulture)}");
        }

        // A frozen process handles the SIGTERM only once it runs again.
        Resume();
        try
        {
            return await WaitForExitAsync(_options.StopTimeout);
        }
        catch (TimeoutException e)
        {
            Kill();
            throw new TimeoutException($"SIGTERM did not stop the server; it was killed. {e.Message}", e);
        }
    }

    /// <summary>Kills the server and its children at once (SIGKILL on Linux) and waits until it is gone.</summary>
    public void Kill()
    {
        if (!_disposed && _process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Stops the server if it runs, then starts it again on the same data directory and ports and waits for /readyz.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => RestartAsync([], waitUntilReady: true, cancellationToken);

    /// <summary>
    /// Stops the server if it runs, then starts it again on the same data directory and ports with
    /// <paramref name="extraArguments"/> added for this run only; waits for /readyz unless told not to
    /// (for a restart that is expected to fail: then use <see cref="WaitForExitAsync"/>).
    /// </summary>
    public async Task RestartAsync(IReadOnlyList<string> extraArguments, bool waitUntilReady, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extraArguments);
        if (!HasExited)
        {
            await StopAsync();
        }

        LaunchProcess(extraArguments);
        if (waitUntilReady)
        {
            await WaitUntilReadyAsync(cancellationToken);
        }
    }

    /// <summary>An empty string when /readyz answers 200, otherwise what it answered.</summary>
    private async Task<string> ProbeReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return "";
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return $"{((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {body.Trim()}";
        }
        catch (HttpRequestException e)
        {
            return $"/readyz not reachable ({e.Message})";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "/readyz did not answer within 5 s";
        }
    }
}
