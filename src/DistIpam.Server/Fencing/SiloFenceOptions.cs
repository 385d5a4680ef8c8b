namespace DistIpam.Server.Fencing;

/// <summary>
/// The silo's own fence (section <c>DistIpam:Fence</c>; docs/architecture.md, "Fencing"). The
/// defaults assume the failure detection of docs/operations.md: no silo can be declared dead sooner
/// than about 2 s after it stops answering probes.
/// </summary>
public sealed class SiloFenceOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DistIpam:Fence";

    /// <summary>On by default in cluster mode, off in the embedded single silo (null = by mode).</summary>
    public bool? Enabled { get; set; }

    /// <summary>How often the watchdog thread ticks. Default 100 ms.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A gap between ticks longer than this means the process was paused (SIGSTOP, a frozen VM, a
    /// long GC) or starved: the silo refuses requests for <see cref="Quarantine"/>. Default 1 s.
    /// </summary>
    public TimeSpan PauseThreshold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the silo refuses requests after a detected pause, so requests that waited in its
    /// sockets during the pause are refused, not run late. Default 3 s.
    /// </summary>
    public TimeSpan Quarantine { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the silo re-reads the membership table to renew its lease. Default 500 ms.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a membership read that showed this silo alive lets it serve, counted from the start
    /// of the read. Shorter than the fastest death declaration. Default 2 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(2);
}
