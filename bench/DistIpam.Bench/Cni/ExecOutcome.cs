namespace DistIpam.Bench.Cni;

/// <summary>
/// How one plugin execution ended and how long it took (fork/exec to exit and closed pipes);
/// <see cref="StartTimestamp"/> and <see cref="EndTimestamp"/> are <see cref="System.Diagnostics.Stopwatch"/>
/// timestamps (the machine's monotonic clock) of just before the fork and just after the exit was seen.
/// </summary>
public sealed record ExecOutcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, long StartTimestamp = 0, long EndTimestamp = 0)
{
    /// <summary>Throws when the plugin failed, with what it printed.</summary>
    public ExecOutcome EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} exited with {ExitCode}: {Stdout.Trim()} {Stderr.Trim()}");
}
