namespace DistIpam.Chaos.Tests.Faults;

/// <summary>
/// Fault durations, all derived from <see cref="DeathDeclarationBound"/> (docs/chaos.md): the
/// longest time the cluster may take to declare a frozen silo dead.
/// </summary>
internal static class FaultTiming
{
    /// <summary>Overrides <see cref="DeathDeclarationBound"/> (whole seconds), e.g. after the failure detection is tuned.</summary>
    public const string DeathDeclarationVariable = "DISTIPAM_CHAOS_DEATH_DECLARATION_SECONDS";

    /// <summary>
    /// The bound on declaring a frozen silo dead: 8 s, what a SIGSTOPped silo took to be evicted on
    /// the 2-core CI machine with the membership tuning of docs/operations.md (issue 11 measured ~8 s).
    /// </summary>
    public static readonly TimeSpan DeathDeclarationBound = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable(DeathDeclarationVariable), out var seconds) && seconds > 0 ? seconds : 8);

    /// <summary>
    /// A pause the cluster must ride out without declaring anyone dead: below two missed 1 s
    /// probes, the fastest possible suspicion.
    /// </summary>
    public static readonly TimeSpan ShortPause = TimeSpan.FromMilliseconds(1500);

    /// <summary>A pause past the death declaration, with margin: the frozen silo is dead to the others when it resumes.</summary>
    public static readonly TimeSpan LongPause = DeathDeclarationBound + TimeSpan.FromSeconds(4);

    /// <summary>How long a silo resumed after a long pause gets to end itself (it was declared dead) or to serve again.</summary>
    public static readonly TimeSpan SelfTerminationWait = DeathDeclarationBound + TimeSpan.FromSeconds(7);

    /// <summary>How long after SIGCONT a resumed silo gets to notice its pause before its readiness counts.</summary>
    public static readonly TimeSpan ResumeSettle = TimeSpan.FromSeconds(1);

    /// <summary>How long Redis stays frozen.</summary>
    public static readonly TimeSpan RedisPause = TimeSpan.FromSeconds(3);

    /// <summary>How long a killed silo stays down before its restart (requests meanwhile fail over).</summary>
    public static readonly TimeSpan DownTime = TimeSpan.FromSeconds(1);

    /// <summary>How long an added silo serves before it is stopped again.</summary>
    public static readonly TimeSpan AddedSiloServes = TimeSpan.FromSeconds(3);

    /// <summary>How long after a claim burst starts the silo is killed (claims take milliseconds each).</summary>
    public static readonly TimeSpan BurstKillDelay = TimeSpan.FromMilliseconds(150);
}
