namespace DistIpam.Bench.Cni;

/// <summary>How one plugin execution ended and how long it took (fork/exec to exit and closed pipes).</summary>
public sealed record ExecOutcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Throws when the plugin failed, with what it printed.</summary>
    public ExecOutcome EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} exited with {ExitCode}: {Stdout.Trim()} {Stderr.Trim()}");
}
